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
import warnings
from pathlib import Path
from typing import IO, Any

from rdflib import BNode, Graph
from rdflib.namespace import RDF
from rdflib.plugins.parsers.RDFVOC import RDFVOC
from rdflib.plugins.serializers.rdfxml import XMLBASE, PrettyXMLSerializer, XMLWriter
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from ..core.atomic import file_mode
from ..core.prefixes import PrefixMap
from ..core.release import RELEASE_BASENAME, RELEASE_FORMATS, ReleaseFormat, release_paths
from .canonical import canonical_graph


class ListSafeTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle writer, except that it never writes the middle of an RDF list as a subject of
    its own. rdflib visits blank nodes in label order and writes a list tail it meets first as a
    separate subject, then writes it again inside its list, so the file held triples the graph did not.
    Every list tail is written inside its list anyway, as the object of its predecessor's rdf:rest."""

    def statement(self, subject: Node) -> bool:
        if isinstance(subject, BNode) and (None, RDF.rest, subject) in self.store:
            return False
        return super().statement(subject)


class SortedPrettyXMLSerializer(PrettyXMLSerializer):
    """rdflib's pretty RDF/XML writer with its set iterations sorted. rdflib walks the namespaces it
    needs, the subjects and the leftover blank nodes in set order, which follows Python's hash seed,
    so two builds in two processes wrote different bytes. The nesting logic is rdflib's own."""

    def serialize(self, stream: IO[bytes], base: str | None = None, encoding: str | None = None,
                  **kwargs: Any) -> None:
        self._PrettyXMLSerializer__serialized: dict[Any, int] | None = {}  # rdflib's record of what was written
        store = self.store
        if base is not None:
            self.base = base
        elif store.base is not None:
            self.base = store.base
        self.max_depth = kwargs.get("max_depth", 3)
        self.nm = nm = store.namespace_manager
        self.writer = writer = XMLWriter(stream, nm, encoding)
        namespaces = {}
        for predicate in sorted(set(store.predicates()) | set(store.objects(None, RDF.type)), key=str):
            prefix, namespace, _local = nm.compute_qname_strict(str(predicate))
            namespaces[prefix] = namespace
        namespaces["rdf"] = str(RDF)
        writer.push(RDFVOC.RDF)
        if self.base:
            writer.attribute(XMLBASE, self.base)
        writer.namespaces(sorted(namespaces.items()))
        subjects: list[Any] = sorted(set(store.subjects()), key=lambda node: node.n3())
        for subject in subjects:  # first the subjects that cannot be nested in another
            if (None, None, subject) in store:
                if (subject, None, subject) in store:
                    self.subject(subject, 1)
            else:
                self.subject(subject, 1)
        for subject in subjects:  # then the named subjects not reached; blank nodes stay nested in them
            if not isinstance(subject, BNode):
                self.subject(subject, 1)
        writer.pop(RDFVOC.RDF)
        stream.write(b"\n")
        self._PrettyXMLSerializer__serialized = None


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
    if release_format.rdflib_format == "pretty-xml":
        with warnings.catch_warnings():
            # rdflib warns on every RDF list it writes as rdf:parseType="Collection"; OWL lists carry
            # nothing but rdf:first/rdf:rest, so nothing is lost (the release tests parse it back).
            warnings.filterwarnings("ignore", message="Assertions on .* other than RDF.first")
            buffer = io.BytesIO()
            SortedPrettyXMLSerializer(graph).serialize(buffer, encoding="utf-8")
            return buffer.getvalue()
    if release_format.rdflib_format == "json-ld":
        context = {p.prefix: p.uri_prefix for p in prefixes if not p.curie_only}
        return sorted_json_ld(graph.serialize(format="json-ld", context=context, indent=1, sort_keys=True,
                                              encoding="utf-8"))
    if release_format.rdflib_format == "turtle":
        buffer = io.BytesIO()
        ListSafeTurtleSerializer(graph).serialize(buffer, encoding="utf-8")
        return buffer.getvalue()
    return graph.serialize(format=release_format.rdflib_format, encoding="utf-8")


def write_release(graph: Graph, out_dir: Path, prefixes: PrefixMap,
                  companions: dict[str, str] | None = None) -> dict[str, Path]:
    """Write every release format, and companion files such as the SSSOM mapping set (suffix -> text),
    into out_dir; all files or none replace the previous ones."""
    created = not out_dir.exists()
    out_dir.mkdir(exist_ok=True)
    try:
        return _write_files(graph, out_dir, prefixes, companions)
    except BaseException:
        if created and out_dir.is_dir() and not any(out_dir.iterdir()):
            out_dir.rmdir()  # a failed build leaves no new folder behind
        raise


def _write_files(graph: Graph, out_dir: Path, prefixes: PrefixMap,
                 companions: dict[str, str] | None) -> dict[str, Path]:
    canonical = canonical_graph(graph)
    targets = release_paths(out_dir)
    contents = [(f.suffix, lambda f=f: serialize(canonical, f, prefixes)) for f in RELEASE_FORMATS]
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
