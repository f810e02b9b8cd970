"""IRIs of the external vocabularies the code itself must name (annotation and mapping properties).

Only terms the library's behaviour depends on are here; the ontology's own terms live in ontology/.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD  # noqa: F401  (re-exported)

OBO = Namespace("http://purl.obolibrary.org/obo/")
OBO_IN_OWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
SH = Namespace("http://www.w3.org/ns/shacl#")

DEFINITION = OBO["IAO_0000115"]
DEFINITION_SOURCE = OBO["IAO_0000119"]
TERM_REPLACED_BY = OBO["IAO_0100001"]
HAS_DBXREF = OBO_IN_OWL["hasDbXref"]
HAS_PHENOTYPE = OBO["RO_0002200"]  # RO 'has phenotype': how a disease relates to an HPO phenotype (never identity)
AXIOM_SOURCE = OBO_IN_OWL["source"]
SYNONYM_PROPERTIES: tuple[URIRef, ...] = (
    OBO_IN_OWL["hasExactSynonym"],
    OBO_IN_OWL["hasRelatedSynonym"],
    OBO_IN_OWL["hasNarrowSynonym"],
    OBO_IN_OWL["hasBroadSynonym"],
)
MAPPING_PREDICATES: dict[str, URIRef] = {
    "skos:exactMatch": SKOS.exactMatch,
    "skos:closeMatch": SKOS.closeMatch,
    "skos:broadMatch": SKOS.broadMatch,
    "skos:narrowMatch": SKOS.narrowMatch,
    "skos:relatedMatch": SKOS.relatedMatch,
}
