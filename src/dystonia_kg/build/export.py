"""Step 4 of the build: write the release, deterministically and atomically.

Every file is written to a temporary file in the target folder first; only when all of them are
written are they renamed into place, one rename each. A build that fails earlier (or while writing)
leaves the previous release as it was.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.namespace import RDF
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from ..core.atomic import file_mode
from ..core.prefixes import PrefixMap
from ..core.release import RELEASE_BASENAME, RELEASE_FORMATS, ReleaseFormat, release_paths
from .canonical import canonical_graph
from .kgx import EDGES_SUFFIX, NODES_SUFFIX, BiolinkMapping, Triple, kgx_tables
from .obo import obo_text
from .rdfxml import rdfxml_text

OBO_SUFFIX = ".obo"
CONTEXT_SUFFIX = ".context.jsonld"

class ListSafeTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle writer, except that it never writes the middle of an RDF list as a subject of
    its own. rdflib visits blank nodes in label order and writes a list tail it meets first as a
    separate subject, then writes it again inside its list, so the file held triples the graph did not.
    Every list tail is written inside its list anyway, as the object of its predecessor's rdf:rest."""

    def statement(self, subject: Node) -> bool:
        if isinstance(subject, BNode) and (None, RDF.rest, subject) in self.store:
            return False
        return super().statement(subject)


def sorted_json_ld(data: bytes) -> bytes:
    """JSON-LD with its node objects sorted by @id and each property's values sorted, RDF lists (@list)
    kept in their order: rdflib emits nodes in set order, which follows Python's hash seed."""

    def key(value: object) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    def normal(value: object, in_list: bool = False) -> object:
        if isinstance(value, dict):
            return {k: normal(v, in_list=(k == "@list")) for k, v in value.items()}
        if isinstance(value, list):
            items = [normal(v) for v in value]
            return items if in_list else sorted(items, key=key)
        return value

    document = json.loads(data)
    return (json.dumps(normal(document), indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def serialize(graph: Graph, release_format: ReleaseFormat, prefixes: PrefixMap) -> bytes:
    """One format's bytes. `graph` must already be canonical (stable blank nodes, sorted insertion)."""
    if release_format.rdflib_format == "nt":
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")
    if release_format.rdflib_format == "xml":
        return rdfxml_text(graph, prefixes).encode("utf-8")
    if release_format.rdflib_format == "json-ld":
        context = {p.prefix: p.uri_prefix for p in prefixes if not p.curie_only}
        return sorted_json_ld(graph.serialize(format="json-ld", context=context, indent=1, sort_keys=True,
                                              encoding="utf-8"))
    if release_format.rdflib_format == "turtle":
        buffer = io.BytesIO()
        ListSafeTurtleSerializer(graph).serialize(buffer, encoding="utf-8")
        return buffer.getvalue()
    return graph.serialize(format=release_format.rdflib_format, encoding="utf-8")


def jsonld_context_text(prefixes: PrefixMap) -> str:
    """The prefix map as a JSON-LD context: what every CURIE of the release (ids, xrefs, sources) expands to."""
    return json.dumps({"@context": prefixes.as_dict()}, indent=1, sort_keys=True) + "\n"


def derived_files(canonical: Graph, prefixes: PrefixMap, biolink: BiolinkMapping | None = None,
                  inferred: set[Triple] | None = None) -> dict[str, Callable[[], str]]:
    """suffix -> producer of each file derived from the released graph besides the RDF formats
    (the KGX tables only when the Biolink mapping tables are given)."""
    produced: dict[str, Callable[[], str]] = {
        OBO_SUFFIX: lambda: obo_text(canonical, prefixes),
        CONTEXT_SUFFIX: lambda: jsonld_context_text(prefixes),
    }
    if biolink is not None:
        tables: list[tuple[str, str]] = []  # computed once for both files

        def table(index: int) -> str:
            if not tables:
                tables.append(kgx_tables(canonical, prefixes, biolink, inferred))
            return tables[0][index]

        produced[NODES_SUFFIX] = lambda: table(0)
        produced[EDGES_SUFFIX] = lambda: table(1)
    return produced


def write_release(graph: Graph, out_dir: Path, prefixes: PrefixMap,
                  companions: dict[str, str] | None = None, biolink: BiolinkMapping | None = None,
                  inferred: set[Triple] | None = None) -> dict[str, Path]:
    """Write every release format, and companion files such as the SSSOM mapping set (suffix -> text),
    into out_dir; all files or none replace the previous ones."""
    created = not out_dir.exists()
    out_dir.mkdir(exist_ok=True)
    try:
        return _write_files(graph, out_dir, prefixes, companions, biolink, inferred)
    except BaseException:
        if created and out_dir.is_dir() and not any(out_dir.iterdir()):
            out_dir.rmdir()  # a failed build leaves no new folder behind
        raise


def _write_files(graph: Graph, out_dir: Path, prefixes: PrefixMap, companions: dict[str, str] | None,
                 biolink: BiolinkMapping | None = None, inferred: set[Triple] | None = None) -> dict[str, Path]:
    canonical = canonical_graph(graph)
    targets = release_paths(out_dir)
    contents = [(f.suffix, lambda f=f: serialize(canonical, f, prefixes)) for f in RELEASE_FORMATS]
    for suffix, produce_text in derived_files(canonical, prefixes, biolink, inferred).items():
        targets[suffix] = out_dir / f"{RELEASE_BASENAME}{suffix}"
        contents.append((suffix, lambda produce_text=produce_text: produce_text().encode("utf-8")))
    for suffix, text in (companions or {}).items():
        targets[suffix] = out_dir / f"{RELEASE_BASENAME}{suffix}"
        contents.append((suffix, lambda text=text: text.encode("utf-8")))
    staged: list[tuple[Path, Path]] = []
    try:
        for suffix, produce in contents:
            data = produce()
            handle, temporary_name = tempfile.mkstemp(prefix=f".{RELEASE_BASENAME}.", suffix=suffix + ".tmp",
                                                      dir=out_dir)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary_name, file_mode())
            staged.append((Path(temporary_name), targets[suffix]))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
    return targets
