"""The yardstick of the CLI benchmark: the least a query can cost in a fresh process.

Parse the release into an in-memory Oxigraph store and run one query file with one string parameter
bound, printing the number of rows. Run as a module by benchmarks/cli_speed.py:
    python -m benchmarks.store_baseline RELEASE.ttl QUERY.rq NAME VALUE
"""

import sys

import pyoxigraph

release, query_file, name, value = sys.argv[1:5]
store = pyoxigraph.Store()
store.load(path=release, format=pyoxigraph.RdfFormat.TURTLE)
with open(query_file, encoding="utf-8") as handle:
    solutions = store.query(handle.read(), substitutions={pyoxigraph.Variable(name): pyoxigraph.Literal(value)})
print(sum(1 for _ in solutions))
