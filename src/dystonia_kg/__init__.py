"""dystonia-kg: an open, computable knowledge graph of dystonia.

The library behind the `dystonia-kg` command: build the release (load, reason with HermiT, validate
with SHACL and QC rules, export), load it as an rdflib Graph, run the competency queries, validate
other graphs against the shapes. For research and education; not medical advice.

The validation report classes are imported on first use (they pull in rdflib and pyshacl), so that
`import dystonia_kg` stays cheap for the command line.
"""

from typing import Any

# The subpackage `build` is imported first, so that the function `build` below keeps the name: a later,
# lazy import of dystonia_kg.build.pipeline would otherwise rebind dystonia_kg.build to the subpackage.
from . import build as _build_package  # noqa: F401
from .api import (
    build,
    build_docs,
    check_mappings,
    classify,
    classify_cases,
    classify_files,
    describe_inferences,
    diagnose,
    draw_diagrams,
    engine_for,
    format_rankings,
    list_queries,
    load_into_store,
    load_release,
    prefix_map,
    query,
    quick_case,
    read_cases,
    reason,
    statistics,
    suggest_mappings,
    summary,
    validate_files,
    validate_graph,
    write_report,
)
from .core.errors import (
    DystoniaKGError,
    InconsistentOntologyError,
    JavaNotFoundError,
    QueryError,
    ReleaseNotFoundError,
    SourceError,
    UnsatisfiableClassesError,
    ValidationFailedError,
)
from .core.resources import SourceLayout, default_layout
from .query.catalogue import QueryResult


def __getattr__(name: str) -> Any:
    if name in ("ValidationReport", "Violation"):
        from .build import validation

        return getattr(validation, name)
    raise AttributeError(f"module 'dystonia_kg' has no attribute '{name}'")


__all__ = [
    "build", "build_docs", "check_mappings", "describe_inferences", "draw_diagrams", "engine_for", "list_queries",
    "load_into_store", "load_release", "prefix_map", "query", "reason", "statistics", "suggest_mappings", "summary",
    "validate_files", "validate_graph", "write_report",
    "DystoniaKGError", "InconsistentOntologyError", "JavaNotFoundError", "QueryError", "ReleaseNotFoundError",
    "SourceError", "UnsatisfiableClassesError", "ValidationFailedError",
    "QueryResult", "SourceLayout", "default_layout", "ValidationReport", "Violation",
]
__all__ += ["diagnose", "format_rankings", "quick_case", "read_cases"]  # dkg.diagnose(dkg.quick_case([...]))
__all__ += ["classify", "classify_cases", "classify_files"]  # by the 2013 consensus axes (issue 16)
