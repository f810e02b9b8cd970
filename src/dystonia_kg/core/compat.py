"""Every use of another library's internals, in one place, each one scoped and explained.

A library's private API changes without notice; keeping every reach into one here means an upgrade breaks
one module, and a reader sees at once what the project depends on beyond the documented surface.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_state = threading.local()
_install_lock = threading.Lock()
_installed: list[bool] = []


def _install_parse_reuse() -> None:
    """Wrap rdflib's SPARQLProcessor.query, once per process, so that a thread inside `sparql_parses_reused`
    reuses translated queries; every other caller (another thread, code outside the block) gets rdflib's own
    behaviour unchanged, since the wrapper only looks at the calling thread's cache."""
    from rdflib.plugins.sparql import processor

    with _install_lock:
        if _installed:
            return
        original = processor.SPARQLProcessor.query

        def query(self: Any, strOrQuery: Any, initBindings: Any = None, initNs: Any = None,
                  base: Any = None, DEBUG: bool = False) -> Any:
            cache: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Any] | None = getattr(
                _state, "parsed_queries", None)
            if cache is None or not isinstance(strOrQuery, str):
                return original(self, strOrQuery, initBindings, initNs, base, DEBUG)
            key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in cache:
                cache[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
            return processor.evalQuery(self.graph, cache[key], initBindings, base)

        processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
        _installed.append(True)


@contextmanager
def sparql_parses_reused() -> Iterator[None]:
    """Within the block, rdflib parses and translates each distinct SPARQL text once for the calling thread.

    pyshacl runs a SPARQL-based constraint once per focus node and rdflib parses the text every time (measured:
    379 parses, 7 of 12 s of the shapes step). Evaluation never mutates a translated query, so reuse is safe.
    The cache belongs to the thread and the block: nothing outlives it, and other threads are unaffected."""
    _install_parse_reuse()
    outer = getattr(_state, "parsed_queries", None)
    _state.parsed_queries = outer if outer is not None else {}
    try:
        yield
    finally:
        _state.parsed_queries = outer
