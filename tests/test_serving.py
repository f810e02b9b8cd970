"""serve: the real port is printed (also for --port 0), host and port are checked before anything starts,
SIGTERM and SIGINT stop the server it started, and a rebuilt release is served after a warning."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dystonia_kg.cli import main
from dystonia_kg.core.engines import RemoteEngine

CLI = Path(sys.executable).with_name("dystonia-kg")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NEW_ENTITY = '<https://w3id.org/dystonia-kg/DYKG_9999998> <http://www.w3.org/2000/01/rdf-schema#label> "served anew" .\n'


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def release(release_dir, tmp_path) -> Path:
    target = tmp_path / "dystonia.ttl"
    shutil.copyfile(release_dir / "dystonia.ttl", target)
    return target


def start_serving(release: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """Start `dystonia-kg serve --port 0` in its own session; returns the process and its query URL."""
    process = subprocess.Popen([str(CLI), "serve", "--port", "0", "--release", str(release), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"(http://127\.0\.0\.1:(\d+)/query)", line)
    if not found:
        process.kill()
        pytest.fail(f"serve printed no URL: {line!r} {process.stderr.read() if process.stderr else ''}")
    return process, found.group(1)


def listening(url: str) -> bool:
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_port_0_reports_the_real_port_and_a_signal_stops_the_server_it_started(release, stop):
    process, url = start_serving(release)
    try:
        assert not url.endswith(":0/query")
        answer = RemoteEngine(url, timeout=30).select(COUNT, {}, "count")
        assert int(answer.rows[0][0]) > 1000
        os.kill(process.pid, stop)  # the CLI only, as `kill PID` does: it must stop its server itself
        _out, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert "Traceback" not in err
        deadline = time.monotonic() + 10
        while listening(url) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not listening(url), "the oxigraph server is still listening"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def test_a_rebuilt_release_is_served_after_a_warning(release):
    process, url = start_serving(release)
    try:
        before = int(RemoteEngine(url, timeout=30).select(COUNT, {}, "count").rows[0][0])
        with release.open("a", encoding="utf-8") as handle:
            handle.write(NEW_ENTITY)
        assert process.stderr is not None
        deadline = time.monotonic() + 60
        warned = ""
        while time.monotonic() < deadline and "changed; restarting" not in warned:
            warned += process.stderr.readline()
        assert "changed; restarting the server on the new release" in warned
        after = before
        while time.monotonic() < deadline and after == before:
            try:
                after = int(RemoteEngine(url, timeout=5).select(COUNT, {}, "count").rows[0][0])
            except Exception:
                time.sleep(0.2)  # the server is restarting
        assert after == before + 1
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.mark.parametrize(("args", "message"), [
    (("--port", "70000"), "70000 is not in the range"),
    (("--port", "-1"), "is not in the range"),
    (("--port", "http"), "is not a valid integer"),
    (("--host", "no such host.invalid"), "cannot be resolved"),
    (("--host", "203.0.113.7"), "cannot listen on 203.0.113.7"),
    (("--timeout", "0"), "is not in the range"),
])
def test_invalid_port_host_or_timeout_is_exit_2_before_anything_starts(release, args, message):
    result = run("serve", "--release", str(release), *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert "SPARQL endpoint on" not in result.output


def test_a_busy_port_is_exit_2_naming_it(release):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run("serve", "--release", str(release), "--port", str(port))
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.output


def test_without_the_oxigraph_package_serve_is_exit_3_with_the_install_command(release, monkeypatch):
    from dystonia_kg.query import serving

    monkeypatch.setattr(serving.sys, "executable", "/nonexistent/python")
    monkeypatch.setenv("PATH", "/nonexistent")
    result = run("serve", "--release", str(release), "--port", "0")
    assert result.exit_code == 3
    assert "pip install 'dystonia-kg[server]'" in result.output
