"""Writing files so that a reader never sees half of one, with the permissions a user expects."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def file_mode() -> int:
    """The mode a newly created file gets under the current umask (mkstemp would leave 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomically(path: Path, text: str) -> None:
    """Write a small text file (a report, a table) so a reader never sees half of it. The folder is
    created when its parent exists (a build's report goes into the release folder it creates); an
    unwritable or impossible place is an OutputError naming the file."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write a file through a temporary file renamed into place (see write_text_atomically)."""
    try:
        path.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(path, f"cannot be written: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, file_mode())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(path, f"cannot be written: {error.strerror or error}") from None
        raise
