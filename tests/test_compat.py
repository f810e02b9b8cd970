"""The one reach into rdflib's internals (core/compat.py) is scoped to a block and to the calling thread."""

from __future__ import annotations

import threading

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import processor

from dystonia_kg.core import compat

QUERY = "SELECT ?o WHERE { <http://example.org/s> <http://example.org/p> ?o }"


def graph() -> Graph:
    g = Graph()
    g.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(1)))
    return g


def counting_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    original = processor.parseQuery
    monkeypatch.setattr(processor, "parseQuery", lambda text: parsed.append(text) or original(text))
    return parsed


def test_inside_the_block_a_query_text_is_parsed_once_with_the_same_answers(monkeypatch):
    parsed = counting_parses(monkeypatch)
    g = graph()
    with compat.sparql_parses_reused():
        answers = [[row[0] for row in g.query(QUERY)] for _ in range(5)]
    assert answers == [[Literal(1)]] * 5
    assert parsed.count(QUERY) == 1


def test_outside_the_block_and_in_other_threads_rdflib_behaves_as_its_own(monkeypatch):
    parsed = counting_parses(monkeypatch)
    g = graph()
    with compat.sparql_parses_reused():
        g.query(QUERY)
        other = threading.Thread(target=lambda: [list(g.query(QUERY)) for _ in range(3)])
        other.start()
        other.join()
    for _ in range(2):
        list(g.query(QUERY))
    assert parsed.count(QUERY) == 1 + 3 + 2  # the block's thread once; the other thread and later calls each time
