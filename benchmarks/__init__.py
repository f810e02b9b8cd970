"""Benchmarks of dystonia-kg (`make bench` -> BENCHMARKS.md). Every measured program is a module of this package,
run in a fresh process (`python -m benchmarks.NAME`) so its time and peak memory are its own."""
