"""Where the edited sources (ontology, shapes, queries) live at run time.

The sources are edited at the top of the repository. A wheel carries a copy of them inside the
package (``dystonia_kg/data``), so an installed package works from any directory; a checkout or an
editable install reads the repository's own folders, so an edit is seen without reinstalling.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_BUNDLED_DATA = _PACKAGE_DIR / "data"
_REPOSITORY_ROOT = _PACKAGE_DIR.parent.parent


@dataclass(frozen=True)
class SourceLayout:
    """The three folders a build reads: ontology sources, SHACL shapes (with QC rules), queries."""

    ontology_dir: Path
    shapes_dir: Path
    queries_dir: Path

    @property
    def qc_dir(self) -> Path:
        """QC rules: one SPARQL SELECT per rule; any row it returns is a violation."""
        return self.shapes_dir / "qc"

    @property
    def prefix_map_file(self) -> Path:
        return self.ontology_dir / "prefixes.json"

    @classmethod
    def at(cls, root: Path) -> SourceLayout:
        """The layout of a folder that holds ontology/, shapes/ and queries/ side by side."""
        return cls(root / "ontology", root / "shapes", root / "queries")


def default_layout() -> SourceLayout:
    """The repository's folders when running from a checkout, else the copy bundled in the wheel."""
    if (_REPOSITORY_ROOT / "ontology" / "prefixes.json").is_file() and (
        _REPOSITORY_ROOT / "pyproject.toml"
    ).is_file():
        return SourceLayout.at(_REPOSITORY_ROOT)
    return SourceLayout.at(_BUNDLED_DATA)
