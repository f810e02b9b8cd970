"""Engine parity, written once: every engine answers every competency query with the rows of the reference
engine (rdflib), the contract each engine signs, the way oxigraph's bindings run one test class per store.

The engines: the embedded on-disk store (the default), the bindings written as a VALUES block into the text
(what a remote endpoint receives) on an in-memory store, and a real Oxigraph server the release is published
to. The cases: each shipped query with the parameters of its own `# example:` header, again without its
optional parameters, and the optional-parameter cases that once differed between engines.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from dystonia_kg import prefix_map
from dystonia_kg.core.engines import (
    Engine,
    OxigraphEngine,
    QueryResult,
    RdflibEngine,
    RemoteEngine,
    from_oxigraph,
    inline_values,
)
from dystonia_kg.core.release import LAYER_OPT_IN
from dystonia_kg.query.catalogue import QueryCatalogue, run_query
from dystonia_kg.query.store import EmbeddedStore
from helpers import run


def cases() -> list[tuple[str, dict[str, str]]]:
    found: list[tuple[str, dict[str, str]]] = []
    for sparql in QueryCatalogue().all():
        if LAYER_OPT_IN in sparql.text:
            continue  # queries over the imported HPO layer: test_hpo_layer.py checks them on the store that holds it
        example = sparql.example_parameters()
        found.append((sparql.name, example))
        required = {p.name for p in sparql.parameters if not p.optional}
        if set(example) != required:
            found.append((sparql.name, {k: v for k, v in example.items() if k in required}))
    found += [  # optional parameters bound to other values than the examples'
        ("treatments-for-type", {"type": "DYT-GCH1"}),
        ("drug-classes-for-genetic-pathway", {"disease": "DYT-TH"}),
        ("first-line-treatment-by-region", {"region": "eyelid"}),
        ("drugs-causing-dystonia", {"dystonia": "tardive dystonia"}),
        # entities given by CURIE and by IRI are checked to exist (queries/internal/entity-exists.rq) before they
        # are bound: the check itself must work when the binding reaches the engine as a VALUES block
        ("describe-entity", {"entity": "DYKG:0002001"}),
        ("treatments-for-type", {"type": "https://w3id.org/dystonia-kg/DYKG_0002001"}),
    ]
    return found


CASES = cases()


def comparable(result: QueryResult) -> list[tuple[str, ...]]:
    """Rows as sorted tuples; concatenated values are sorted part by part, since GROUP_CONCAT order is free."""
    def cell(term: object) -> str:
        if term is None:
            return ""
        if isinstance(term, Literal) and isinstance(term.toPython(), (int, float, Decimal)):
            return str(Decimal(str(term.toPython())).normalize())  # 1000 and 1000.0 are one xsd:decimal value
        text = str(term)
        for separator in (" | ", ", "):
            if separator in text:
                return separator.join(sorted(text.split(separator)))
        return text
    return sorted(tuple(cell(term) for term in row) for row in result.rows)


class InlineValuesEngine:
    """What a remote endpoint receives, the bindings written into the text as VALUES, run in process."""

    name = "inline-values"

    def __init__(self, release: Path):
        self.store = OxigraphEngine.of_file(release).store

    def select(self, text, bindings, origin) -> QueryResult:
        solutions = self.store.query(inline_values(text, bindings))
        names = tuple(v.value for v in solutions.variables)
        return QueryResult(names, tuple(tuple(from_oxigraph(s[v]) for v in names) for s in solutions))


@pytest.fixture(scope="module")
def reference() -> dict[str, QueryResult]:
    """The reference engine's answer to each case, computed once per module (rdflib is the slow one)."""
    return {}


def reference_answer(answers: dict[str, QueryResult], graph: Graph, name: str, parameters: dict[str, str]):
    key = f"{name} {sorted(parameters.items())}"
    if key not in answers:
        answers[key] = run_query(RdflibEngine(graph), QueryCatalogue().find(name), parameters, prefix_map())
    return answers[key]


@pytest.fixture(scope="module")
def published_server(oxigraph_server: str, release_dir: Path) -> str:
    """The release published (Graph Store protocol) to a real Oxigraph server: its query endpoint."""
    published = run("publish", "--endpoint", f"{oxigraph_server}/store", "--release", str(release_dir / "dystonia.ttl"))
    assert published.exit_code == 0, published.output
    return f"{oxigraph_server}/query"


@pytest.fixture(scope="module", params=["embedded", "inline-values", pytest.param("server", marks=pytest.mark.slow)])
def engine(request: pytest.FixtureRequest, release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    if request.param == "embedded":
        copy = tmp_path_factory.mktemp("embedded") / "dystonia.ttl"
        copy.write_bytes((release_dir / "dystonia.ttl").read_bytes())
        store = EmbeddedStore(copy)
        store.ensure_current()
        return OxigraphEngine(store.open_read_only())
    if request.param == "inline-values":
        return InlineValuesEngine(release_dir / "dystonia.ttl")
    return RemoteEngine(request.getfixturevalue("published_server"), timeout=60)


# Each case is one xdist group (make runs pytest with --dist loadgroup), so every engine's run of a case lands on the
# worker that computed rdflib's answer to it once.
@pytest.mark.parametrize("name, parameters", [
    pytest.param(n, p, id=f"{n}{sorted(p.items())}", marks=pytest.mark.xdist_group(f"{n}{sorted(p.items())}"))
    for n, p in CASES])
def test_the_engine_gives_the_reference_rows(engine, reference, release_graph, name, parameters):
    expected = reference_answer(reference, release_graph, name, parameters)
    actual = run_query(engine, QueryCatalogue().find(name), parameters, prefix_map())
    assert actual.variables == expected.variables
    assert comparable(actual) == comparable(expected)
    assert expected.rows, "a case whose answer is empty proves nothing: choose an example with an answer"


def test_every_query_over_the_release_is_a_case():
    assert {name for name, _ in CASES} == {q.name for q in QueryCatalogue().all() if LAYER_OPT_IN not in q.text}
