"""A Biolink graph for Monarch and Translator users: the release ships KGX node and edge tables that KGX
reads and validates against the Biolink model of the biolink-model package, offline."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import REPOSITORY

pytest.importorskip("kgx")
biolink_model = pytest.importorskip("biolink_model")

PACKAGE = Path(biolink_model.__path__[0])
SCHEMA = PACKAGE / "schema" / "biolink_model.yaml"
PREFIX_MAP = PACKAGE / "prefixmaps" / "biolink-model-prefix-map.json"
EMPTY_PREDICATE_MAP = {"predicate mappings": []}


@pytest.fixture(scope="module")
def offline_kgx():
    """KGX and bmt fetch the Biolink schema, a predicate map and a JSON-LD context at first use: point all
    three at local data before KGX builds its toolkit. The package ships the schema and a prefix map (made
    into the JSON-LD context here); it ships no predicate map, which only KGX's predicate-mapping helpers
    read, so bmt gets an empty one."""
    import bmt.toolkit

    schema_default, _ = bmt.toolkit.Toolkit.__init__.__defaults__
    bmt.toolkit.Toolkit.__init__.__defaults__ = (str(SCHEMA), EMPTY_PREDICATE_MAP)
    import kgx.config
    import kgx.utils.kgx_utils

    context = json.loads(PREFIX_MAP.read_text(encoding="utf-8"))
    # Our own prefix (DYKG) is not Biolink's: a KGX user adds the release's context to Biolink's.
    ours = json.loads((REPOSITORY / "ontology" / "prefixes.json").read_text(encoding="utf-8"))
    context.update({prefix: record["uri_prefix"] for prefix, record in ours.items()
                    if not prefix.startswith("$") and prefix not in context})
    kgx.config.jsonld_context_map["biolink"] = context
    kgx.utils.kgx_utils._default_toolkit = bmt.toolkit.Toolkit(str(SCHEMA), EMPTY_PREDICATE_MAP)
    yield kgx
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema_default, bmt.toolkit.PREDICATE_MAP)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_kgx_reads_the_release_and_finds_no_validation_error(release_dir, offline_kgx):
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    transformer = Transformer()
    transformer.transform({"filename": [str(release_dir / "dystonia_kgx_nodes.tsv"),
                                        str(release_dir / "dystonia_kgx_edges.tsv")], "format": "tsv"})
    graph = transformer.store.graph
    assert graph.number_of_nodes() > 300 and graph.number_of_edges() > 900
    validator = Validator()
    validator.validate(graph)
    errors = {level: found for level, found in validator.get_errors().items() if level.upper() == "ERROR"}
    assert errors == {}, json.dumps(errors, indent=1, default=str)[:3000]


def test_every_node_has_a_specific_category_and_every_edge_its_provenance(release_dir):
    nodes = {row["id"]: row for row in _rows(release_dir / "dystonia_kgx_nodes.tsv")}
    edges = _rows(release_dir / "dystonia_kgx_edges.tsv")
    assert nodes["DYKG:0002001"]["category"] == "biolink:Disease"  # DYT-TOR1A
    assert nodes["DYKG:0002501"]["category"] == "biolink:Gene"  # TOR1A
    assert "HGNC:3098" in nodes["DYKG:0002501"]["xref"].split("|")
    assert nodes["HP:0004373"]["category"] == "biolink:PhenotypicFeature"
    assert nodes["DYKG:0007001"]["category"] == "biolink:AnatomicalEntity"  # neck
    named_things = [i for i, row in nodes.items() if row["category"] == "biolink:NamedThing"]
    assert named_things == ["DYKG:0000029"]  # 'cause of dystonia' itself; its members are diseases or drugs
    for edge in edges:
        assert edge["knowledge_level"] in ("knowledge_assertion", "logical_entailment")
        assert edge["agent_type"] in ("manual_agent", "automated_agent")
        assert edge["primary_knowledge_source"] == "infores:dystonia-kg"
        assert edge["subject"] in nodes and edge["object"] in nodes
        assert edge["predicate"] != "biolink:related_to"
        if edge["predicate"] != "biolink:subclass_of":
            assert edge["publications"], f"{edge['subject']} {edge['predicate']} {edge['object']} has no source"
    gene_links = {(e["subject"], e["object"]) for e in edges if e["predicate"] == "biolink:condition_associated_with_gene"}
    assert ("DYKG:0002001", "DYKG:0002501") in gene_links
    assert not [e for e in edges if e["object"].startswith("HGNC:")]  # the MONDO-bridge twins stay out


def test_every_property_the_release_uses_has_a_biolink_predicate_with_its_basis():
    from dystonia_kg.build.kgx import BiolinkMapping
    from dystonia_kg.core.prefixes import PrefixMap

    prefixes = PrefixMap.from_file(REPOSITORY / "ontology" / "prefixes.json")
    mapping = BiolinkMapping.from_folder(REPOSITORY / "ontology", prefixes)
    table = _rows_with_comments(REPOSITORY / "ontology" / "exports" / "biolink-predicates.tsv")
    assert {row["basis"] for row in table} == {"biolink", "ours"}
    assert all(row["comment"] for row in table)
    assert mapping.predicates[prefixes.expand("RO:0002200")] == "biolink:has_phenotype"


def test_biolink_predicates_and_categories_exist_in_the_biolink_model():
    import yaml

    model = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    slots = {name.replace(" ", "_") for name in model["slots"]}
    classes = {name.title().replace(" ", "") for name in model["classes"]}
    exports = REPOSITORY / "ontology" / "exports"
    for row in _rows_with_comments(exports / "biolink-predicates.tsv"):
        assert row["biolink_predicate"].removeprefix("biolink:") in slots, row
    for row in _rows_with_comments(exports / "biolink-categories.tsv"):
        assert row["biolink_category"].removeprefix("biolink:") in classes, row


def _rows_with_comments(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))
