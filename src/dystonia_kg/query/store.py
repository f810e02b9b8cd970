"""The embedded store: the release, and any vocabularies loaded beside it, in an on-disk Oxigraph
database that queries reuse instead of parsing the release again.

The store lives in the user's cache folder, never beside the release (a published dist/ holds only
release files, and a release in a read-only folder can still be queried): `$DYSTONIA_KG_CACHE`, else
`$XDG_CACHE_HOME/dystonia-kg`, else `~/.cache/dystonia-kg`, one store per release file (keyed by its
resolved path). A manifest names the release with its size, modification time and SHA-256, and the
vocabularies loaded into the store. Checking freshness costs one stat: the file is hashed only when
its size or modification time changed, and the store is rebuilt only when the hash changed too (the
loaded vocabularies are loaded again from their recorded paths). A rebuild goes into a fresh folder
that replaces the old one only when complete, and the manifest is replaced atomically, so a reader
never sees half a store. Queries open the store read-only, so several can run at once.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..core.errors import EnvironmentProblemError, ReleaseNotFoundError, SourceError
from ..core.rdfio import oxigraph_format_of
from ..core.release import LAYER_GRAPH_IRI

ProgressCallback = Callable[[str], None]
CACHE_ENVIRONMENT_VARIABLE = "DYSTONIA_KG_CACHE"
MANIFEST = "manifest.json"
MANIFEST_VERSION = 3
_LOCK_WAIT_SECONDS = 120
RDF_SUFFIXES = (".ttl", ".nt", ".owl", ".rdf", ".xml", ".jsonld", ".nq", ".trig")


def cache_folder() -> Path:
    """Where stores are kept: $DYSTONIA_KG_CACHE, else $XDG_CACHE_HOME/dystonia-kg, else ~/.cache/dystonia-kg."""
    chosen = os.environ.get(CACHE_ENVIRONMENT_VARIABLE)
    if chosen:
        return Path(chosen).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "dystonia-kg"


def store_location_for(release_file: Path, cache: Path | None = None) -> Path:
    """The store folder of a release: one per release file, named after its resolved path (readable,
    so a user can tell the stores in the cache apart; a hash of the path when the name would be too long)."""
    return (cache or cache_folder()) / "stores" / _key_of(Path(release_file).resolve())


def _key_of(path: Path) -> str:
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in str(path).strip("/"))
    if len(name) <= 150 and name.isascii():
        return f"{name}-{len(str(path))}"  # the length tells apart paths that differ only in escaped characters
    import hashlib

    return f"{path.stem[:60]}-{hashlib.sha256(str(path).encode('utf-8')).hexdigest()[:24]}"


def sha256_of(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stderr_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


class LoadedFile:
    """A vocabulary merged into the store, loaded again from `path` whenever the store is rebuilt.
    `source` is the file the user gave when `path` is a conversion of it (an OBO file turned into
    N-Triples). Plain classes here: a dataclass costs a quarter of a millisecond to create at import."""

    def __init__(self, path: str, graph: str | None, triples: int, source: str | None = None):
        self.path, self.graph, self.triples, self.source = path, graph, triples, source

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LoadedFile) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"LoadedFile({self.path!r}, {self.graph!r}, {self.triples!r}, {self.source!r})"


class Manifest:
    """What the store holds: the release (path, SHA-256, size, modification time) and the vocabularies."""

    def __init__(self, release: str, release_sha256: str, loaded: list[LoadedFile] | None = None,
                 version: int = MANIFEST_VERSION, release_size: int = -1, release_mtime_ns: int = -1):
        self.release, self.release_sha256 = release, release_sha256
        self.loaded = list(loaded or [])
        self.version, self.release_size, self.release_mtime_ns = version, release_size, release_mtime_ns

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            return cls(data["release"], data["release_sha256"], [LoadedFile(**f) for f in data["loaded"]],
                       data["version"], data.get("release_size", -1), data.get("release_mtime_ns", -1))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, folder: Path) -> None:
        """Replace the manifest atomically: a reader sees the old one or the new one, never half of one."""
        data = {"version": self.version, "release": self.release, "release_sha256": self.release_sha256,
                "release_size": self.release_size, "release_mtime_ns": self.release_mtime_ns,
                "loaded": [vars(f) for f in self.loaded]}
        import tempfile

        handle, temporary = tempfile.mkstemp(prefix=f".{MANIFEST}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, indent=2)
            os.replace(temporary, folder / MANIFEST)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _oxigraph_format(path: Path):
    return oxigraph_format_of(path)


class _CountingReader:
    """A binary file wrapper that reports how far the parser has read, for a progress bar."""

    def __init__(self, handle, on_read: Callable[[int], None]):
        self._handle = handle
        self._on_read = on_read

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._on_read(len(data))
        return data

    def readinto(self, buffer) -> int:  # pragma: no cover - used by some readers
        count = self._handle.readinto(buffer)
        self._on_read(count or 0)
        return count


class EmbeddedStore:
    """The release in an on-disk Oxigraph store, kept in step with the release file."""

    def __init__(self, release_file: Path, location: Path | None = None,
                 warn: Callable[[str], None] = _stderr_warning):
        self.release_file = Path(release_file)
        self.location = Path(location) if location else store_location_for(self.release_file)
        self.warn = warn

    # -- state -------------------------------------------------------------------------------

    def manifest(self) -> Manifest | None:
        return Manifest.read(self.location)

    def is_current(self) -> bool:
        """Whether the store holds the release as it is now: one stat when nothing changed; a hash
        of the release when its size or modification time changed (a copy, a touch, a rebuild)."""
        manifest = self.manifest()
        release = self._release()
        if manifest is None or manifest.version != MANIFEST_VERSION:
            return False
        stored_digest, _, stored_layer = manifest.release_sha256.partition("+")
        if stored_layer != self._layer_key():
            return False
        stat = release.stat()
        if (manifest.release_size, manifest.release_mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            return True
        if stored_digest != sha256_of(release):
            return False
        manifest.release_size, manifest.release_mtime_ns = stat.st_size, stat.st_mtime_ns
        try:  # same content, new time stamp: remember it, so the next check is one stat again
            manifest.write(self.location)
        except OSError:
            pass
        return True

    def layer_file(self) -> Path | None:
        """The imported HPO layer the build writes beside the release (dystonia-hpo.nt), loaded with it."""
        layer = self.release_file.with_name(self.release_file.stem + "-hpo.nt")
        return layer if layer.is_file() else None

    def _layer_key(self) -> str:
        """The layer's name, size and time (not a digest: it is large and replaced atomically by the build)."""
        layer = self.layer_file()
        if layer is None:
            return ""
        status = layer.stat()
        return f"{layer.name}:{status.st_size}:{status.st_mtime_ns}"

    def _release(self) -> Path:
        if not self.release_file.is_file():
            raise ReleaseNotFoundError(self.release_file)
        return self.release_file

    # -- building ----------------------------------------------------------------------------

    def ensure_current(self, progress: ProgressCallback | None = None) -> bool:
        """Rebuild the store if the release changed (or there is none); True when it was rebuilt."""
        if self.is_current():
            return False
        with self._lock():
            if self.is_current():  # another process rebuilt it while we waited
                return False
            previous = self.manifest()
            self._rebuild(previous.loaded if previous else [], progress)
        return True

    def _rebuild(self, loaded: list[LoadedFile], progress: ProgressCallback | None) -> None:
        import shutil

        import pyoxigraph

        release = self._release()
        stat = release.stat()
        digest = sha256_of(release)
        staging = self.location.with_name(self.location.name + ".building")
        shutil.rmtree(staging, ignore_errors=True)
        started = time.perf_counter()
        store = pyoxigraph.Store(str(staging))
        try:
            try:
                store.bulk_load(path=str(release), format=_oxigraph_format(release), lenient=True)
            except (SyntaxError, ValueError) as error:
                raise SourceError(release, f"is not a readable RDF release: {_first_line(error)}") from error
            layer = self.layer_file()
            if layer is not None:  # in its own graph: queries see it when they opt in (core/release.py)
                store.bulk_load(path=str(layer), format=_oxigraph_format(layer), lenient=True,
                                to_graph=pyoxigraph.NamedNode(LAYER_GRAPH_IRI))
            kept: list[LoadedFile] = []
            for entry in loaded:
                path = Path(entry.path)
                if entry.source and Path(entry.source).is_file():
                    path = self._converted(Path(entry.source))
                elif entry.source:
                    path = Path(entry.source)
                if not path.is_file():
                    self.warn(f"{entry.source or path} was loaded into the store but is gone; the rebuilt store"
                              " no longer holds it (load it again with: dystonia-kg load FILE)")
                    continue
                again = self._load_one(store, path, entry.graph, progress)
                again.source = entry.source
                kept.append(again)
            store.flush()
        except BaseException:
            del store
            shutil.rmtree(staging, ignore_errors=True)
            raise
        del store
        layer_key = self._layer_key()
        Manifest(str(release.resolve()), digest + (f"+{layer_key}" if layer_key else ""), kept, MANIFEST_VERSION,
                 stat.st_size, stat.st_mtime_ns).write(staging)
        self._replace_with(staging)
        if progress:
            progress(f"store built from {release.name} in {time.perf_counter() - started:.2f} s ({self.location})")

    def _replace_with(self, staging: Path) -> None:
        import shutil

        old = self.location.with_name(self.location.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.location.exists():
            os.replace(self.location, old)
        os.replace(staging, self.location)
        shutil.rmtree(old, ignore_errors=True)

    def load(self, paths: list[Path], named_graphs: bool = False, progress: ProgressCallback | None = None,
             bytes_read: Callable[[int], None] | None = None) -> list[LoadedFile]:
        """Add vocabularies to the store (each into a named graph if asked); recorded for rebuilds.

        OBO files are converted to N-Triples (kept in the cache folder) and the conversion is loaded;
        the manifest remembers the OBO file, so a rebuild converts it again."""
        import pyoxigraph

        for path in paths:
            path = Path(path)
            if not path.is_file():
                raise SourceError(path, "no such file" if not path.exists() else "not a file")
            if path.suffix.lower() != ".obo":
                _oxigraph_format(path)
        self._release()
        self.ensure_current(progress)
        with self._lock():
            manifest = self.manifest()
            assert manifest is not None
            store = pyoxigraph.Store(str(self.location))
            try:
                added = []
                for path in paths:
                    path = Path(path)
                    graph = path.resolve().as_uri() if named_graphs else None
                    source = str(path.resolve()) if path.suffix.lower() == ".obo" else None
                    readable = self._converted(path) if source else path
                    entry = self._load_one(store, readable, graph, progress, bytes_read)
                    entry.source = source
                    manifest.loaded = [f for f in manifest.loaded if (f.source or f.path) != (source or entry.path)]
                    manifest.loaded.append(entry)
                    added.append(entry)
                store.flush()
            finally:
                del store
            manifest.write(self.location)
        return added

    def _converted(self, obo_file: Path) -> Path:
        """An N-Triples conversion of an OBO file, kept beside the store (replaced atomically)."""
        import hashlib
        import tempfile

        from ..mapping.obo import write_obo_as_ntriples

        folder = self.location.parent.parent / "converted"
        folder.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha256(str(obo_file.resolve()).encode("utf-8")).hexdigest()[:20]
        target = folder / f"{obo_file.stem}-{key}.nt"
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(handle)
        try:
            write_obo_as_ntriples(obo_file, Path(temporary))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target

    def _load_one(self, store, path: Path, graph: str | None, progress: ProgressCallback | None,
                  bytes_read: Callable[[int], None] | None = None) -> LoadedFile:
        import pyoxigraph

        started = time.perf_counter()
        before = len(store)
        try:
            with path.open("rb") as handle:
                # bulk_load streams from the reader, which reports the bytes it hands over (progress bar);
                # lenient skips IRI re-validation, a fifth of the load time of a large vocabulary.
                reader = _CountingReader(handle, bytes_read or (lambda n: None))
                store.bulk_load(reader, _oxigraph_format(path), lenient=True,
                                to_graph=pyoxigraph.NamedNode(graph) if graph else None)
        except (SyntaxError, ValueError) as error:
            raise SourceError(path, f"cannot be parsed: {_first_line(error)}") from error
        except OSError as error:
            raise SourceError(path, f"cannot be read: {error.strerror or error}") from error
        count = len(store) - before
        if progress:
            elapsed = time.perf_counter() - started
            progress(f"loaded {count:,} triples from {path.name} in {elapsed:.2f} s"
                     + (f" into graph <{graph}>" if graph else ""))
        return LoadedFile(str(path.resolve()), graph, count)

    # -- reading -----------------------------------------------------------------------------

    def open_read_only(self):
        """A read-only handle on the current store (rebuild first with ensure_current)."""
        import pyoxigraph

        try:
            return pyoxigraph.Store.read_only(str(self.location))
        except OSError as error:
            raise EnvironmentProblemError(f"cannot open the query store {self.location}: {_first_line(error)};"
                                          f" point {CACHE_ENVIRONMENT_VARIABLE} at a writable folder") from None

    def has_loaded_vocabularies(self) -> bool:
        """Whether `load` merged vocabularies into this release's store (read from the manifest alone)."""
        manifest = self.manifest()
        return bool(manifest and manifest.loaded)

    def open_for_queries(self, progress: ProgressCallback | None = None, with_layer: bool = False):
        """A pyoxigraph store to query: the on-disk store (kept current) when vocabularies were loaded
        into it; otherwise the release parsed into memory. Measured on the release (about 10^4 triples):
        parsing takes 16 ms and the query 3 ms, while opening the on-disk store takes 8-20 ms and the same
        query 14 ms there, so the on-disk store pays off only for what `load` adds (10^5-10^6 triples)."""
        import pyoxigraph

        if self.has_loaded_vocabularies() or (with_layer and self.layer_file() is not None):
            self.ensure_current(progress)  # the imported HPO layer lives in the on-disk store's own graph
            return self.open_read_only()
        release = self._release()
        memory = pyoxigraph.Store()
        try:
            # load, not bulk_load: on 10^4 triples the bulk loader's set-up costs more CPU than it saves
            memory.load(path=str(release), format=_oxigraph_format(release), lenient=True)
        except (SyntaxError, ValueError) as error:
            raise SourceError(release, f"is not a readable RDF release: {_first_line(error)}") from None
        except OSError as error:
            raise SourceError(release, f"cannot be read: {error.strerror or error}") from None
        return memory

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """One writer at a time across processes: an exclusive lock file beside the store."""
        import tempfile

        lock = self.location.with_name(self.location.name + ".lock")
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=lock.parent, prefix=".probe.")
            probe.close()
        except OSError as error:
            raise EnvironmentProblemError(
                f"cannot write the query store under {lock.parent}: {error.strerror or error}; point"
                f" {CACHE_ENVIRONMENT_VARIABLE} at a writable folder") from None
        deadline = time.monotonic() + _LOCK_WAIT_SECONDS
        while True:
            try:
                descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                os.write(descriptor, str(os.getpid()).encode())
                os.close(descriptor)
                break
            except FileExistsError:
                if not _lock_holder_alive(lock):
                    lock.unlink(missing_ok=True)
                    continue
                if time.monotonic() > deadline:
                    raise SourceError(lock, "the store is locked by another process;"
                                      " remove the lock if none runs") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _lock_holder_alive(lock: Path) -> bool:
    try:
        pid = int(lock.read_text().strip())
        os.kill(pid, 0)
        return True
    except (OSError, ValueError):
        return False
