"""Nothing lost: a command writes only what it owns, a failed command leaves nothing behind, the query
store lives in the user's cache (never in the release folder), and an output that cannot be written
is one line on stderr with exit 2. Permission cases run as an ordinary user (root ignores modes)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from as_user import ordinary_user
from dystonia_kg.cli import main
from dystonia_kg.query import store as store_module
from dystonia_kg.query.store import EmbeddedStore, cache_folder, store_location_for
from helpers import RELEASE_FILES


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def no_traceback(result) -> bool:
    return "Traceback" not in (result.output if hasattr(result, "output") else result.stdout + result.stderr)


@pytest.fixture
def release_copy(release_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the release folder that a test may damage."""
    target = tmp_path / "dist"
    shutil.copytree(release_dir, target)
    return target


@pytest.fixture(scope="module")
def user():
    with ordinary_user() as unprivileged:
        yield unprivileged


# -- docs --out: only a folder the site owns is replaced ------------------------------------------

def test_docs_refuses_a_folder_with_the_users_files_and_touches_nothing(release_copy, tmp_path):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.txt").write_text("three years of work")
    result = run("docs", "--out", str(mine), "--release", str(release_copy / "dystonia.ttl"))
    assert result.exit_code == 2, result.output
    assert "did not write; refusing to replace it" in result.output and no_traceback(result)
    assert (mine / "thesis.txt").read_text() == "three years of work"
    assert sorted(p.name for p in mine.iterdir()) == ["thesis.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "notes"]  # no staging folder left


def test_docs_into_the_release_folder_is_refused_and_the_release_survives(release_copy):
    result = run("docs", "--out", str(release_copy), "--release", str(release_copy / "dystonia.ttl"))
    assert result.exit_code == 2 and no_traceback(result)
    assert sorted(p.name for p in release_copy.iterdir()) == RELEASE_FILES


def test_docs_into_the_current_folder_is_refused_without_a_traceback(release_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(release_copy)
    result = run("docs", "--out", ".", "--release", "dystonia.ttl")
    assert result.exit_code == 2 and no_traceback(result)
    assert "current folder" in result.output or "refusing" in result.output
    assert sorted(p.name for p in release_copy.iterdir()) == RELEASE_FILES


def test_docs_replaces_a_site_it_wrote_and_fills_an_empty_folder(release_copy, tmp_path):
    site = tmp_path / "site"
    site.mkdir()  # an empty folder holds nothing to lose
    first = run("docs", "--out", str(site), "--release", str(release_copy / "dystonia.ttl"))
    assert first.exit_code == 0, first.output
    assert (site / ".dystonia-kg-site").is_file() and (site / "index.html").is_file()
    assert_pages_list_what_points_at_them(site)
    (site / "stale.html").write_text("from an older site")
    second = run("docs", "--out", str(site), "--release", str(release_copy / "dystonia.ttl"))
    assert second.exit_code == 0, second.output
    assert not (site / "stale.html").exists() and (site / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "site"]


def assert_pages_list_what_points_at_them(site: Path) -> None:
    """Entity pages show incoming facts in plain words: a disease its treatments, a gene its diseases."""
    import re

    def incoming(curie_file: str) -> str:
        page = (site / "classes" / curie_file).read_text(encoding="utf-8")
        assert "What refers to it" in page, curie_file
        section = page.split("What refers to it", 1)[1].split("</ul>", 1)[0]
        return " ".join(re.sub(r"<[^>]+>", " ", section).split())

    blepharospasm = incoming("DYKG_0001210.html")
    assert "botulinum toxin type A is first-line substance that treats blepharospasm" in blepharospasm
    gch1 = incoming("DYKG_0002505.html")  # the gene page names the diseases it is the basis of
    assert "DYT-GCH1 has material basis in germline mutation in GCH1" in gch1


# -- a failed command leaves nothing behind -------------------------------------------------------

def test_a_query_on_a_missing_release_creates_no_folder(tmp_path):
    missing = tmp_path / "no" / "such" / "file.ttl"
    result = run("query", "find-by-name", "-p", "text=x", "--release", str(missing))
    assert result.exit_code == 2 and "no release found" in result.output
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("args", [
    ("query", "find-by-name", "-p", "text=x"),
    ("serve", "--port", "0"),
    ("load", "vocabulary.ttl"),
    ("stats",),
    ("docs",),
    ("diagram",),
])
def test_commands_in_an_empty_folder_leave_no_dist_behind(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if args[0] == "load":
        (tmp_path / "vocabulary.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n")
    result = run(*args)
    assert result.exit_code in (2, 3), result.output
    assert no_traceback(result)
    assert not (tmp_path / "dist").exists() and not (tmp_path / "site").exists()
    assert not (tmp_path / "diagrams").exists()


def test_a_missing_graphviz_is_exit_3_with_the_install_command_and_writes_nothing(release_copy, tmp_path,
                                                                                   monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    out = tmp_path / "diagrams"
    result = run("diagram", "--out", str(out), "--release", str(release_copy / "dystonia.ttl"))
    assert result.exit_code == 3, result.output
    assert "apt-get install graphviz" in result.output and no_traceback(result)
    assert not out.exists()


# -- the store lives in the cache, keyed by the release ------------------------------------------

def test_the_store_lives_in_the_cache_and_the_release_folder_holds_only_release_files(release_copy, tmp_path):
    vocabulary = tmp_path / "extra.ttl"
    vocabulary.write_text("<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"an extra\" .\n")
    release = release_copy / "dystonia.ttl"
    assert run("load", str(vocabulary), "--release", str(release)).exit_code == 0
    assert run("query", "find-by-name", "-p", "text=torticollis", "--release", str(release)).exit_code == 0
    assert sorted(p.name for p in release_copy.iterdir()) == RELEASE_FILES
    location = store_location_for(release)
    assert location.parent.parent == cache_folder() and (location / "manifest.json").is_file()


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DYSTONIA_KG_CACHE", str(tmp_path / "mine"))
    assert cache_folder() == tmp_path / "mine"
    monkeypatch.delenv("DYSTONIA_KG_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "dystonia-kg"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_folder() == Path.home() / ".cache" / "dystonia-kg"


def test_two_releases_get_two_stores(release_copy, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(release_copy, other)
    assert store_location_for(release_copy / "dystonia.ttl") != store_location_for(other / "dystonia.ttl")


def test_freshness_costs_a_stat_and_a_hash_only_when_size_or_time_changed(release_copy, tmp_path, monkeypatch):
    release = release_copy / "dystonia.ttl"
    store = EmbeddedStore(release, location=tmp_path / "store")
    assert store.ensure_current() is True
    hashed: list[Path] = []
    real_hash = store_module.sha256_of
    monkeypatch.setattr(store_module, "sha256_of", lambda path: hashed.append(path) or real_hash(path))
    assert store.ensure_current() is False and hashed == []  # unchanged: one stat, no hash
    os.utime(release, ns=(release.stat().st_atime_ns, release.stat().st_mtime_ns + 10**9))
    assert store.ensure_current() is False and len(hashed) == 1  # touched: hashed, same content, kept
    assert store.ensure_current() is False and len(hashed) == 1  # the new time was remembered
    release.write_text(release.read_text() + "\n<urn:x> <urn:y> <urn:z> .\n")
    assert store.ensure_current() is True  # changed content: rebuilt
    leftovers = [p.name for p in store.location.iterdir() if p.name.startswith(".manifest")]
    assert leftovers == []  # the manifest is written through a temporary file renamed into place


def test_a_deleted_loaded_vocabulary_is_reported_at_the_next_rebuild(release_copy, tmp_path):
    vocabulary = tmp_path / "gone.ttl"
    vocabulary.write_text("<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"gone soon\" .\n")
    release = release_copy / "dystonia.ttl"
    assert run("load", str(vocabulary), "--release", str(release)).exit_code == 0
    vocabulary.unlink()
    release.write_text(release.read_text() + "\n<urn:x> <urn:y> <urn:z> .\n")
    result = run("query", "find-by-name", "-p", "text=torticollis", "--release", str(release))
    assert result.exit_code == 0
    assert "gone.ttl was loaded into the store but is gone" in result.stderr


# -- as an ordinary user: read-only places --------------------------------------------------------

@pytest.fixture
def user_release(user, release_dir) -> Path:
    """A release in a folder the ordinary user can read but not write."""
    folder = user.folder()
    release = folder / "dist"
    shutil.copytree(release_dir, release)
    user.give(folder)
    release.chmod(0o555)
    return release


def test_queries_work_on_a_release_in_a_read_only_folder(user, user_release):
    cache = user.folder()
    result = user.run("query", "types-by-region", "-p", "region=neck", "--release", str(user_release / "dystonia.ttl"),
                      cache=cache)
    assert result.returncode == 0, result.stderr
    assert "cervical dystonia" in result.stdout
    assert sorted(p.name for p in user_release.iterdir()) == RELEASE_FILES


def test_an_unwritable_cache_is_exit_3_naming_the_variable(user, user_release, tmp_path):
    vocabulary = user.give(user.folder()) / "v.ttl"
    vocabulary.write_text("<urn:a> <urn:b> <urn:c> .\n")
    user.give(vocabulary)
    result = user.run("load", str(vocabulary), "--release", str(user_release / "dystonia.ttl"),
                      cache=Path("/proc/no-cache-here"))
    assert result.returncode == 3, result.stderr
    assert "DYSTONIA_KG_CACHE" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [
    ("build", "--out", "{ro}/release"),
    ("docs", "--out", "{ro}/site", "--release", "{release}"),
    ("diagram", "--out", "{ro}/diagrams", "--release", "{release}"),
    ("map", "suggest", "{vocabulary}", "--out", "{ro}/suggestions.tsv", "--release", "{release}"),
    ("validate", "{vocabulary}", "--report", "{ro}/report.json", "--release", "{release}"),
    ("build", "--out", "{ro}/missing/deeper/release"),
    ("docs", "--out", "/no/such/place/site", "--release", "{release}"),
])
def test_outputs_into_a_read_only_or_missing_place_are_exit_2_naming_the_path(user, user_release, command):
    read_only = user.folder(mode=0o555)
    vocabulary = user.folder() / "vocabulary.ttl"
    vocabulary.write_text('<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "cervical dystonia" .\n')
    user.give(vocabulary)
    args = [a.format(ro=read_only, release=user_release / "dystonia.ttl", vocabulary=vocabulary) for a in command]
    result = user.run(*args, cwd=read_only)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and (str(read_only) in error_lines[0] or "/no/such" in error_lines[0])
    assert list(read_only.iterdir()) == []
