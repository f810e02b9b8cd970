"""`python -m dystonia_kg` runs the command line."""

from .cli import main

main()
