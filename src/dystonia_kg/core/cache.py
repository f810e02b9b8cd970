"""The user's cache: derived indexes that are slow to build and cheap to rebuild.

Why a cache outside the project: a derived index (e.g. the diagnosis index over one HPO release)
belongs to the user's machine, never to a release folder (dist/ holds only what the build wrote) nor
to a data package's folder (which may be read-only). The XDG base-directory convention says where:
$XDG_CACHE_HOME, else ~/.cache. Every write is atomic, so a reader never sees half a file, and a
cache that cannot be written is not an error: the caller keeps what it built in memory.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from .atomic import file_mode

APPLICATION = "dystonia-kg"


def user_cache_dir() -> Path:
    """$XDG_CACHE_HOME/dystonia-kg, or ~/.cache/dystonia-kg (not created here)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / APPLICATION


def read_pickle(path: Path) -> Any | None:
    """The object pickled at path, or None when the file is missing or unreadable (a stale or broken
    cache entry is simply rebuilt). Only files this program wrote into the user's cache are read."""
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
        return None


def write_pickle_atomically(path: Path, value: Any) -> bool:
    """Pickle value to path through a temporary file and a rename; False when the cache is not
    writable (read-only home, full disk): the caller goes on without a cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(temporary, file_mode())
        os.replace(temporary, path)
        return True
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return False
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
