"""Writing files so that a reader never sees half of one, with the permissions a user expects."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def file_mode() -> int:
    """The mode a newly created file gets under the current umask (mkstemp would leave 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomically(path: Path, text: str) -> None:
    """Write a small text file (a report, a table) so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, file_mode())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
