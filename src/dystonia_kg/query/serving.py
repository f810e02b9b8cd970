"""Sharing the release over SPARQL: publishing it to a triple store, serving it read-only.

`publish` uploads the release with the SPARQL 1.1 Graph Store HTTP protocol (a PUT of Turtle into a
named graph, which replaces that graph), so it works with Oxigraph, Fuseki, GraphDB and others.
`serve` runs the Oxigraph server (the `oxigraph` package) read-only over the embedded store: a real
SPARQL 1.1 endpoint with a query timeout that refuses updates, bound to loopback unless told otherwise.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from ..core.engines import http_call
from ..core.errors import DystoniaKGError, QueryError, ReleaseNotFoundError
from .store import EmbeddedStore, ProgressCallback

DEFAULT_GRAPH = "https://w3id.org/dystonia-kg/dystonia.owl"


def publish(release_file: Path, endpoint: str, graph: str = DEFAULT_GRAPH, timeout: float = 120.0) -> int:
    """PUT the release (Turtle) into `graph` at a Graph Store endpoint; returns the bytes sent."""
    release_file = Path(release_file)
    if not release_file.is_file():
        raise ReleaseNotFoundError(release_file)
    parsed = urllib.parse.urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise QueryError(f"endpoint '{endpoint}' is not an http(s) URL")
    separator = "&" if parsed.query else "?"
    url = f"{endpoint}{separator}graph={urllib.parse.quote(graph, safe='')}"
    body = release_file.read_bytes()
    content_type = "text/turtle" if release_file.suffix == ".ttl" else "application/n-triples"
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": content_type})
    http_call(request, timeout, f"publishing to {endpoint}")
    return len(body)


def oxigraph_executable() -> str:
    """The Oxigraph server binary, from the `oxigraph` package (next to this Python, or on PATH)."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise DystoniaKGError("the SPARQL server needs the 'oxigraph' package: pip install 'dystonia-kg[server]'")
    return found


def serve_command(store: EmbeddedStore, host: str, port: int, timeout_seconds: int) -> list[str]:
    return [oxigraph_executable(), "serve-read-only", "--location", str(store.location),
            "--bind", f"{host}:{port}", "--union-default-graph", "--timeout-s", str(timeout_seconds)]


def serve(release_file: Path, host: str = "127.0.0.1", port: int = 7878, timeout_seconds: int = 30,
          progress: ProgressCallback | None = None) -> int:
    """Serve the release read-only until interrupted; returns the server's exit code."""
    store = EmbeddedStore(release_file)
    store.ensure_current(progress)
    command = serve_command(store, host, port, timeout_seconds)
    if progress:
        progress(f"SPARQL endpoint on http://{host}:{port}/query (read-only, {timeout_seconds} s query timeout)")
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0
