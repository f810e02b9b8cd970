"""dystonia-kg: an open, computable knowledge graph of dystonia.

The library behind the `dystonia-kg` command: build the release (load, reason with HermiT, validate
with SHACL and QC rules, export), load it as an rdflib Graph, run the competency queries, validate
other graphs against the shapes. For research and education; not medical advice.
"""

from .api import (
                  build,
                  build_docs,
                  check_mappings,
                  describe_inferences,
                  draw_diagrams,
                  engine_for,
                  list_queries,
                  load_into_store,
                  load_release,
                  prefix_map,
                  query,
                  reason,
                  statistics,
                  suggest_mappings,
                  summary,
                  validate_files,
                  validate_graph,
                  write_report,
)
from .build.validation import ValidationReport, Violation
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

__all__ = [
    "build", "build_docs", "check_mappings", "describe_inferences", "draw_diagrams", "engine_for", "list_queries",
    "load_into_store", "load_release", "prefix_map", "query", "reason", "statistics", "suggest_mappings", "summary",
    "validate_files", "validate_graph", "write_report",
    "DystoniaKGError", "InconsistentOntologyError", "JavaNotFoundError", "QueryError", "ReleaseNotFoundError",
    "SourceError", "UnsatisfiableClassesError", "ValidationFailedError",
    "QueryResult", "SourceLayout", "default_layout", "ValidationReport", "Violation",
]

# Classification of a patient's dystonia by the 2013 consensus axes (issue 16).
from .api import classify, classify_cases, classify_files

__all__ += ["classify", "classify_cases", "classify_files"]
