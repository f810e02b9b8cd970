"""The embedded store: the release, and any vocabularies loaded beside it, in an on-disk Oxigraph
database that queries reuse instead of parsing the release again.

The store lives beside the release (dist/.dystonia-store/) with a manifest naming the release (with its
SHA-256) and the vocabularies loaded into it. When the release changes, the store is rebuilt (the loaded
vocabularies are loaded again from their recorded paths) into a fresh folder that replaces the old
one only when complete, so a reader never sees half a store. Queries open the store read-only, so
several can run at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import ReleaseNotFoundError, SourceError
from ..core.rdfio import oxigraph_format_of
from ..core.release import LAYER_GRAPH_IRI

ProgressCallback = Callable[[str], None]
STORE_FOLDER = ".dystonia-store"
MANIFEST = "manifest.json"
MANIFEST_VERSION = 2
_LOCK_WAIT_SECONDS = 120


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class LoadedFile:
    """A vocabulary merged into the store, loaded again from `path` whenever the store is rebuilt."""

    path: str
    graph: str | None
    triples: int


@dataclass
class Manifest:
    release: str
    release_sha256: str
    loaded: list[LoadedFile] = field(default_factory=list)
    version: int = MANIFEST_VERSION

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            return cls(data["release"], data["release_sha256"], [LoadedFile(**f) for f in data["loaded"]],
                       data["version"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, folder: Path) -> None:
        data = {"version": self.version, "release": self.release, "release_sha256": self.release_sha256,
                "loaded": [vars(f) for f in self.loaded]}
        (folder / MANIFEST).write_text(json.dumps(data, indent=2), encoding="utf-8")


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

    def __init__(self, release_file: Path, location: Path | None = None):
        self.release_file = Path(release_file)
        self.location = Path(location) if location else self.release_file.parent / STORE_FOLDER

    # -- state -------------------------------------------------------------------------------

    def manifest(self) -> Manifest | None:
        return Manifest.read(self.location)

    def is_current(self) -> bool:
        manifest = self.manifest()
        return (manifest is not None and manifest.version == MANIFEST_VERSION
                and manifest.release_sha256 == self._release_digest())

    def layer_file(self) -> Path | None:
        """The imported HPO layer the build writes beside the release (dystonia-hpo.nt), loaded with it."""
        layer = self.release_file.with_name(self.release_file.stem + "-hpo.nt")
        return layer if layer.is_file() else None

    def _release_digest(self) -> str:
        digest = sha256_of(self._release())
        layer = self.layer_file()
        if layer is None:
            return digest
        status = layer.stat()  # size and time, not a digest: the layer is large and is replaced atomically
        return f"{digest}+{layer.name}:{status.st_size}:{status.st_mtime_ns}"

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
        import pyoxigraph

        release = self._release()
        staging = self.location.with_name(self.location.name + ".building")
        shutil.rmtree(staging, ignore_errors=True)
        started = time.perf_counter()
        store = pyoxigraph.Store(str(staging))
        try:
            store.bulk_load(path=str(release), format=_oxigraph_format(release), lenient=True)
            layer = self.layer_file()
            if layer is not None:  # in its own graph: queries see it when they opt in (core/release.py)
                store.bulk_load(path=str(layer), format=_oxigraph_format(layer), lenient=True,
                                to_graph=pyoxigraph.NamedNode(LAYER_GRAPH_IRI))
            kept: list[LoadedFile] = []
            for entry in loaded:
                path = Path(entry.path)
                if not path.is_file():
                    if progress:
                        progress(f"{path} is gone; it is no longer loaded")
                    continue
                kept.append(self._load_one(store, path, entry.graph, progress))
            store.flush()
        except BaseException:
            del store
            shutil.rmtree(staging, ignore_errors=True)
            raise
        del store
        Manifest(str(release.resolve()), self._release_digest(), kept).write(staging)
        self._replace_with(staging)
        if progress:
            progress(f"store built from {release.name} in {time.perf_counter() - started:.2f} s ({self.location})")

    def _replace_with(self, staging: Path) -> None:
        old = self.location.with_name(self.location.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.location.exists():
            os.replace(self.location, old)
        os.replace(staging, self.location)
        shutil.rmtree(old, ignore_errors=True)

    def load(self, paths: list[Path], named_graphs: bool = False, progress: ProgressCallback | None = None,
             bytes_read: Callable[[int], None] | None = None) -> list[LoadedFile]:
        """Add vocabularies to the store (each into a named graph if asked); recorded for rebuilds."""
        import pyoxigraph

        for path in paths:
            if not Path(path).is_file():
                raise SourceError(path, "no such file")
            _oxigraph_format(Path(path))
        self.ensure_current(progress)
        with self._lock():
            manifest = self.manifest()
            assert manifest is not None
            store = pyoxigraph.Store(str(self.location))
            try:
                added = []
                for path in paths:
                    graph = Path(path).resolve().as_uri() if named_graphs else None
                    entry = self._load_one(store, Path(path), graph, progress, bytes_read)
                    manifest.loaded = [f for f in manifest.loaded if f.path != entry.path] + [entry]
                    added.append(entry)
                store.flush()
            finally:
                del store
            manifest.write(self.location)
        return added

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
        except SyntaxError as error:
            raise SourceError(path, f"cannot be parsed: {error}") from error
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

        return pyoxigraph.Store.read_only(str(self.location))

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """One writer at a time across processes: an exclusive lock file beside the store."""
        lock = self.location.with_name(self.location.name + ".lock")
        lock.parent.mkdir(parents=True, exist_ok=True)
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


def _lock_holder_alive(lock: Path) -> bool:
    try:
        pid = int(lock.read_text().strip())
        os.kill(pid, 0)
        return True
    except (OSError, ValueError):
        return False
