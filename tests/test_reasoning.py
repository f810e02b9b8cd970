"""Step 2, reason: HermiT checks consistency and satisfiability and the inferred hierarchy is released."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS

from dystonia_kg import build
from dystonia_kg.build.loading import load_sources
from dystonia_kg.build.reasoning import classify
from dystonia_kg.core.errors import InconsistentOntologyError, JavaNotFoundError, UnsatisfiableClassesError
from helpers import DYKG, RELEASE_DATE, add_module

CONTRADICTION = """
DYKG:0009001 a owl:Class ; rdfs:subClassOf DYKG:0000001 ;
    rdfs:label "test hereditary form"@en ; IAO:0000115 "A test class."@en ; IAO:0000119 "dykg.seed:guide" .
DYKG:0009002 a owl:Class ; rdfs:subClassOf DYKG:0000001 ;
    rdfs:label "test acquired form"@en ; IAO:0000115 "A test class."@en ; IAO:0000119 "dykg.seed:guide" ;
    owl:disjointWith DYKG:0009001 .
DYKG:0009003 a owl:Class ; rdfs:subClassOf DYKG:0009001 , DYKG:0009002 ;
    rdfs:label "test impossible form"@en ; IAO:0000115 "A test class."@en ; IAO:0000119 "dykg.seed:guide" .
"""


def test_an_unsatisfiable_class_fails_the_build_and_is_named(sources, tmp_path):
    add_module(sources, "contradiction.ttl", CONTRADICTION)
    with pytest.raises(UnsatisfiableClassesError) as raised:
        build(tmp_path / "out", layout=sources, release_date=RELEASE_DATE)
    assert raised.value.classes == [(DYKG + "0009003", "test impossible form")]
    assert "test impossible form" in str(raised.value)
    assert not (tmp_path / "out" / "dystonia.ttl").exists()


def test_an_inconsistent_ontology_fails_the_build_and_names_the_classes_and_individual(sources, tmp_path):
    add_module(sources, "contradiction.ttl", CONTRADICTION + """
DYKG:0009004 a owl:NamedIndividual , DYKG:0009003 ; rdfs:label "test patient"@en .
""")
    with pytest.raises(InconsistentOntologyError) as raised:
        build(tmp_path / "out", layout=sources, release_date=RELEASE_DATE)
    message = str(raised.value)
    assert "test impossible form" in message and "test patient" in message


def test_a_defined_class_is_filled_by_the_reasoner_and_the_inference_is_released(sources, tmp_path):
    add_module(sources, "defined.ttl", """
DYKG:0009010 a owl:Class ; rdfs:subClassOf DYKG:0000022 ;
    rdfs:label "test focal"@en ; IAO:0000115 "A test value."@en ; IAO:0000119 "dykg.seed:guide" .
DYKG:0009011 a owl:Class ;
    owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( DYKG:0000001
        [ a owl:Restriction ; owl:onProperty DYKG:0000102 ; owl:someValuesFrom DYKG:0009010 ] ) ] ;
    rdfs:label "test focal dystonia"@en ; IAO:0000115 "A test class."@en ; IAO:0000119 "dykg.seed:guide" .
DYKG:0009012 a owl:Class ; rdfs:subClassOf DYKG:0000001 ,
        [ a owl:Restriction ; owl:onProperty DYKG:0000102 ; owl:someValuesFrom DYKG:0009010 ] ;
    rdfs:label "test neck dystonia"@en ; IAO:0000115 "A test class."@en ; IAO:0000119 "dykg.seed:guide" .
""")
    loaded = load_sources(sources)
    outcome = classify(loaded.graph, str(loaded.ontology_iri))
    inferred = {(str(i.subject), str(i.object)) for i in outcome.subsumptions}
    assert (DYKG + "0009012", DYKG + "0009011") in inferred  # classified under the defined class
    assert (DYKG + "0009011", DYKG + "0000001") in inferred  # implied by the definition, not asserted
    assert (DYKG + "0009012", DYKG + "0000001") not in inferred  # asserted already: not repeated

    result = build(tmp_path / "out", layout=sources, release_date=RELEASE_DATE)
    assert (URIRef(DYKG + "0009012"), RDFS.subClassOf, URIRef(DYKG + "0009011")) in result.graph


def test_without_java_the_reasoner_says_what_to_install(sources, monkeypatch):
    monkeypatch.setenv("JAVA_EXE", "java-that-does-not-exist")
    loaded = load_sources(sources)
    with pytest.raises(JavaNotFoundError) as raised:
        classify(loaded.graph, str(loaded.ontology_iri))
    assert "Java runtime" in str(raised.value) and "apt-get install default-jre-headless" in str(raised.value)
