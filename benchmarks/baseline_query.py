"""The baseline the command line is compared with: the fewest lines that answer the same question, parsing the
release into an in-memory Oxigraph store and running the same query file with the same parameter.

    python -m benchmarks.baseline_query RELEASE QUERY_FILE NAME=VALUE
"""

from __future__ import annotations

import sys

import pyoxigraph


def main(release: str, query_file: str, binding: str) -> None:
    store = pyoxigraph.Store()
    store.bulk_load(path=release, format=pyoxigraph.RdfFormat.TURTLE)
    name, value = binding.split("=", 1)
    with open(query_file, encoding="utf-8") as handle:
        text = handle.read()
    substitutions = {pyoxigraph.Variable(name): pyoxigraph.Literal(value)}
    for solution in store.query(text, substitutions=substitutions, use_default_graph_as_union=True):
        print("\t".join(str(term) for term in solution))


if __name__ == "__main__":
    main(*sys.argv[1:4])
