"""The same bytes every time: two builds in separate processes, with different hash seeds, write
byte-identical release files; Ctrl-C during a build exits 130 and leaves the previous release as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import RELEASE_FILES

CLI = Path(sys.executable).with_name("dystonia-kg")


def build_in_a_process(out: Path, seed: str) -> subprocess.Popen:
    environment = dict(os.environ, PYTHONHASHSEED=seed, SOURCE_DATE_EPOCH="1795000000")
    return subprocess.Popen([str(CLI), "build", "--out", str(out)], env=environment, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_builds_in_two_processes_with_different_hash_seeds_are_byte_identical(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    processes = [build_in_a_process(first, "1"), build_in_a_process(second, "4242")]
    for process in processes:
        _out, err = process.communicate(timeout=900)
        assert process.returncode == 0, err
    assert sorted(p.name for p in first.iterdir()) == RELEASE_FILES
    for name in RELEASE_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_ctrl_c_during_a_build_exits_130_and_leaves_the_previous_release_untouched(release_dir, tmp_path):
    out = tmp_path / "dist"
    shutil.copytree(release_dir, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    process = subprocess.Popen([str(CLI), "build", "--out", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stderr is not None
    deadline = time.monotonic() + 300
    for line in process.stderr:  # interrupt in the middle, while HermiT reasons
        if "reason ..." in line or time.monotonic() > deadline:
            break
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole process group
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
