"""Running the command line as an ordinary user, for the tests where permissions matter.

Root ignores file modes, so a test of "a read-only folder" run as root proves nothing. These helpers
create (once per session) an unprivileged user, give it traverse permission on the folders above
this Python (restored afterwards), and run `dystonia-kg` as that user in a subprocess.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "dkgtest"
CLI = Path(sys.executable).with_name("dystonia-kg")


@dataclass(frozen=True)
class OrdinaryUser:
    name: str
    uid: int
    gid: int

    def folder(self, mode: int = 0o755) -> Path:
        """A fresh folder this user owns (outside root's private temporary folders)."""
        path = Path(tempfile.mkdtemp(prefix="dkg-user-"))
        os.chown(path, self.uid, self.gid)
        path.chmod(mode)
        return path

    def give(self, path: Path) -> Path:
        """Hand a file or folder tree over to this user."""
        for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
            os.chown(item, self.uid, self.gid)
        return path

    def run(self, *args: str, cwd: Path | None = None, cache: Path | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
        """`dystonia-kg ARGS` as this user; stdout and stderr as text."""
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.path.expanduser(f"~{self.name}"),
                       "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
        if cache is not None:
            environment["DYSTONIA_KG_CACHE"] = str(cache)
        switch = ["runuser", "-u", self.name, "--"] if os.geteuid() != self.uid else []
        command = [*switch, "env", "-i", *(f"{k}={v}" for k, v in environment.items()), str(CLI), *args]
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _unavailable_reason() -> str | None:
    if os.geteuid() != 0:
        return None  # already an ordinary user: run the tests as ourselves
    for tool in ("useradd", "runuser"):
        if shutil.which(tool) is None:
            return f"cannot create an ordinary user to test permissions: '{tool}' is not installed"
    return None


@contextmanager
def ordinary_user() -> Iterator[OrdinaryUser]:
    """The unprivileged user the permission tests run as (ourselves when the tests do not run as root)."""
    reason = _unavailable_reason()
    if reason:
        import pytest

        pytest.skip(reason)
    if os.geteuid() != 0:
        import getpass

        yield OrdinaryUser(getpass.getuser(), os.geteuid(), os.getegid())
        return
    exists = subprocess.run(["id", "-u", USER], capture_output=True, text=True)
    if exists.returncode != 0:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", USER], check=True, capture_output=True)
    uid = int(subprocess.run(["id", "-u", USER], capture_output=True, text=True, check=True).stdout)
    gid = int(subprocess.run(["id", "-g", USER], capture_output=True, text=True, check=True).stdout)
    # The interpreter may live below a private folder (root's home): let the user traverse (not list) it.
    changed: list[tuple[Path, int]] = []
    real = Path(os.path.realpath(sys.executable))
    for folder in [*reversed(real.parents), *reversed(CLI.parents)]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            changed.append((folder, stat.S_IMODE(mode)))
            folder.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)
    try:
        yield OrdinaryUser(USER, uid, gid)
    finally:
        for folder, mode in reversed(changed):
            folder.chmod(mode)
