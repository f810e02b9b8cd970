"""Typed errors of the library. The CLI turns each into one clear message and an exit code.

Every error says where the problem is (file, line, column; entity; query) so a user can fix it
without reading a stack trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class DystoniaKGError(Exception):
    """Base of every error this library raises on purpose."""


class InvalidInputError(DystoniaKGError):
    """Bad input from the user: a file, a value or an option that cannot be used (exit code 2)."""


class EnvironmentProblemError(DystoniaKGError):
    """The environment lacks something (a program, an optional package, a writable cache): exit code 3.
    The message says what to install or set."""


class SourceError(InvalidInputError):
    """An input file could not be read as RDF or as a table: names the file and the place."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None, column: int | None = None):
        self.path = Path(path)
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        place = str(self.path)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return f"{place}: {self.reason}"


class OutputError(InvalidInputError):
    """An output cannot be written where asked (a read-only or missing place, a folder that is not ours)."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        super().__init__(f"{path}: {reason}")


class JavaNotFoundError(EnvironmentProblemError):
    """HermiT runs on Java; without a Java runtime the reasoner cannot run."""

    def __init__(self, java: str):
        super().__init__(
            f"the OWL reasoner (HermiT) needs a Java runtime, and '{java}' was not found on PATH. "
            "Install Java 11 or newer (Debian/Ubuntu: apt-get install default-jre-headless; "
            "macOS: brew install openjdk) or point the JAVA_EXE environment variable at a java binary."
        )


class ReasonerError(EnvironmentProblemError):
    """The reasoner could not run (a Java or HermiT failure unrelated to the ontology's logic)."""


class InconsistentOntologyError(DystoniaKGError):
    """The ontology has no model: some axioms contradict each other."""

    def __init__(self, detail: str = ""):
        message = "the ontology is inconsistent (HermiT found no model)"
        if detail:
            message += f": {detail}"
        super().__init__(message)


class UnsatisfiableClassesError(DystoniaKGError):
    """Some classes can have no members; each is named with its label."""

    def __init__(self, classes: Iterable[tuple[str, str]]):
        self.classes = sorted(classes)
        listed = "; ".join(f"{label} <{iri}>" if label else f"<{iri}>" for iri, label in self.classes)
        super().__init__(f"{len(self.classes)} unsatisfiable class(es): {listed}")


class ValidationFailedError(DystoniaKGError):
    """SHACL shapes or QC rules found violations; the report holds them."""

    def __init__(self, report: object):
        self.report = report
        findings = report.violations  # type: ignore[attr-defined]
        failing = [f for f in findings if getattr(f, "severity", "Violation") != "Warning"]  # warnings only inform
        super().__init__(f"validation failed with {len(failing)} violation(s)")


class QueryError(InvalidInputError):
    """A query could not be run: unknown name, bad parameter, or SPARQL syntax error."""


class ReleaseNotFoundError(InvalidInputError):
    """A command needs the built release and there is none."""

    def __init__(self, path: Path):
        super().__init__(f"no release found at {path}; run 'dystonia-kg build' first (or pass --release FILE)")


class MissingPackageError(EnvironmentProblemError):
    """An optional package or data the command needs is not installed (exit 3, with the install command)."""

    def __init__(self, package: str, needed_for: str, install: str):
        self.package = package
        self.install = install
        super().__init__(f"{needed_for} come(s) from the '{package}' package, which is not installed; "
                         f"install it with: {install}")
