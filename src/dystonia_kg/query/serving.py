"""Sharing the release over SPARQL: publishing it to a triple store, serving it read-only.

`publish` uploads the release with the SPARQL 1.1 Graph Store HTTP protocol (a PUT of Turtle, which
replaces the target graph), so it works with Oxigraph, Fuseki, GraphDB and others. By default it
replaces the server's default graph, which is where a server with default settings (Oxigraph, Fuseki:
no union default graph) answers queries; with a named graph, `query --endpoint URL --graph IRI` asks
that graph (the protocol's default-graph-uri), so publish and query always meet.

`serve` runs the Oxigraph server (the `oxigraph` package, extra `server`) read-only over the embedded
store: a real SPARQL 1.1 endpoint with a query timeout that refuses updates, bound to loopback unless
told otherwise. It validates host and port before anything starts, reports the real port (also for
`--port 0`), stops the server it started on SIGTERM and SIGINT alike, and when the release is rebuilt
while it runs, says so and restarts the server on the new release.
"""

from __future__ import annotations

import errno
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from ..core.engines import check_endpoint_url, http_call
from ..core.errors import EnvironmentProblemError, InvalidInputError, ReleaseNotFoundError, SourceError
from ..core.release import DEFAULT_GRAPH
from .store import EmbeddedStore, ProgressCallback

RELEASE_CHECK_SECONDS = 2.0
SERVER_START_SECONDS = 20.0


def publish(release_file: Path, endpoint: str, graph: str | None = None, timeout: float = 120.0) -> int:
    """PUT the release (Turtle) into the default graph, or into `graph`, of a Graph Store endpoint;
    returns the bytes sent."""
    release_file = Path(release_file)
    if not release_file.is_file():
        raise ReleaseNotFoundError(release_file)
    check_endpoint_url(endpoint)
    if graph is not None and not urllib.parse.urlparse(graph).scheme:
        raise InvalidInputError(f"graph '{graph}' is not an IRI (e.g. {DEFAULT_GRAPH})")
    separator = "&" if urllib.parse.urlparse(endpoint).query else "?"
    target = f"graph={urllib.parse.quote(graph, safe='')}" if graph else "default"
    url = f"{endpoint}{separator}{target}"
    try:
        body = release_file.read_bytes()
    except OSError as error:
        raise SourceError(release_file, f"cannot be read: {error.strerror or error}") from None
    content_type = "text/turtle" if release_file.suffix == ".ttl" else "application/n-triples"
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": content_type})
    http_call(request, timeout, f"publishing to {endpoint}")
    return len(body)


def oxigraph_executable() -> str:
    """The Oxigraph server binary, from the `oxigraph` package (next to this Python, or on PATH)."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise EnvironmentProblemError("the SPARQL server needs the 'oxigraph' package:"
                                      " pip install 'dystonia-kg[server]'")
    return found


def serve_command(store: EmbeddedStore, host: str, port: int, timeout_seconds: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [oxigraph_executable(), "serve-read-only", "--location", str(store.location),
            "--bind", bind, "--union-default-graph", "--timeout-s", str(timeout_seconds)]


def check_listen_address(host: str, port: int) -> int:
    """The port to listen on (a free one when `port` is 0), after checking that host and port can be
    bound; a busy port, an impossible host or a port out of range is an InvalidInputError."""
    if not 0 <= port <= 65535:
        raise InvalidInputError(f"port {port} is out of range (0 to 65535; 0 picks a free port)")
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except (socket.gaierror, UnicodeError) as error:
        raise InvalidInputError(f"host '{host}' cannot be resolved: {error}") from None
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise InvalidInputError(f"port {port} on {host} is already in use (choose another with --port,"
                                        " or --port 0 for a free one)") from None
            if error.errno in (errno.EACCES, errno.EPERM):
                raise InvalidInputError(f"port {port} on {host} needs privileges (use a port above 1023)") from None
            raise InvalidInputError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        return probe.getsockname()[1]


def _wait_until_listening(host: str, port: int, child: subprocess.Popen, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if child.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def _stop(child: subprocess.Popen | None) -> None:
    if child is None or child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


class _Stop(Exception):
    """Raised from a signal handler to leave the serving loop."""


def serve(release_file: Path, host: str = "127.0.0.1", port: int = 7878, timeout_seconds: int = 30,
          progress: ProgressCallback | None = None, warn: Callable[[str], None] | None = None,
          on_ready: Callable[[str], None] | None = None) -> int:
    """Serve the release read-only until SIGINT or SIGTERM; returns 0 after a requested stop, else the
    server's own exit code. `on_ready` receives the endpoint URL once the server answers."""
    if timeout_seconds <= 0:
        raise InvalidInputError(f"timeout {timeout_seconds} must be a positive number of seconds")
    executable_check = oxigraph_executable()  # exit 3 before anything else when the extra is missing
    del executable_check
    store = EmbeddedStore(release_file, warn=warn) if warn else EmbeddedStore(release_file)
    store._release()
    port = check_listen_address(host, port)
    store.ensure_current(progress)
    display_host = f"[{host}]" if ":" in host else host
    url = f"http://{display_host}:{port}/query"

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise _Stop(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    child: subprocess.Popen | None = None
    try:
        while True:
            child = subprocess.Popen(serve_command(store, host, port, timeout_seconds))
            if not _wait_until_listening(host, port, child, SERVER_START_SECONDS):
                code = child.poll()
                _stop(child)
                raise InvalidInputError(f"the SPARQL server did not start on {host}:{port}"
                                        + (f" (it exited with {code})" if code is not None else ""))
            (on_ready or progress or (lambda _m: None))(
                f"SPARQL endpoint on {url} (read-only, {timeout_seconds} s query timeout)")
            while child.poll() is None:
                time.sleep(RELEASE_CHECK_SECONDS)
                try:
                    current = store.is_current()
                except ReleaseNotFoundError:
                    current = True  # a rebuild in progress may remove the file for a moment; keep serving
                if not current:
                    (warn or progress or (lambda _m: None))(
                        f"{release_file} changed; restarting the server on the new release")
                    _stop(child)
                    store.ensure_current(progress)
                    break
            else:
                return child.returncode
    except _Stop:
        return 0
    finally:
        _stop(child)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
