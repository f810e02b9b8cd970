"""The HTML reference, checked in a real browser (headless Chromium on 127.0.0.1): pages load without
console errors, every internal link resolves, the search finds 'torticollis', and a screenshot is
written for review (build/screenshots/)."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from dystonia_kg import api

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("CI"),
    reason="headless Chromium is not installed (apt-get install chromium chromium-driver); required on CI")


@pytest.fixture(scope="module")
def site(release_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    counts = api.build_docs(out, release_dir / "dystonia.ttl")
    assert counts["entities"] > 100
    return out


@pytest.fixture(scope="module")
def served(site):
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "data") and value:
                self.links.append(value)


def test_every_internal_link_of_the_site_resolves(site):
    broken = []
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            target = urldefrag(link)[0]
            if not target or urlparse(target).scheme in ("http", "https", "mailto", "data"):
                continue
            if not (page.parent / target).resolve().is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
    for svg in (site / "diagrams").glob("*.svg"):
        for link in re.findall(r'xlink:href="([^"]+)"', svg.read_text(encoding="utf-8")):
            if not (svg.parent / link).resolve().is_file():
                broken.append(f"{svg.name} -> {link}")
    assert broken == []


def test_class_pages_say_their_facts_in_plain_words_with_clickable_external_links(site):
    page = (site / "classes" / "DYKG_0001200.html").read_text(encoding="utf-8")
    assert "cervical dystonia <em>disease has location</em>" in page and ">neck</a>" in page
    assert 'href="http://purl.obolibrary.org/obo/MONDO_0000481"' in page
    assert "torticollis" in page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "not medical advice" in index and "diagrams/dystonia-types.svg" in index


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("headless Chromium is required on CI: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1300,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@needs_browser
def test_pages_load_in_chromium_without_console_errors(browser, served, site):
    pages = ["index.html", "classes.html", "queries.html", "mappings.html"]
    pages += [f"classes/{p.name}" for p in sorted((site / "classes").glob("*.html"))[::25]]
    for page in pages:
        browser.get(urljoin(served, page))
        assert browser.find_element("tag name", "h1").text, page
        assert _console_errors(browser) == [], page


@needs_browser
def test_the_search_box_finds_cervical_dystonia_by_torticollis(browser, served, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(urljoin(served, "index.html"))
    box = browser.find_element(By.ID, "search")
    box.send_keys("torticollis")
    WebDriverWait(browser, 10).until(
        expected_conditions.text_to_be_present_in_element((By.ID, "search-results"), "cervical dystonia"))
    screenshots = tmp_path / "screenshots"  # for a person to look at after a failure; never in the repository
    screenshots.mkdir()
    browser.save_screenshot(str(screenshots / "search-torticollis.png"))
    first = browser.find_element(By.CSS_SELECTOR, "#search-results li a")
    first.click()
    WebDriverWait(browser, 10).until(expected_conditions.title_contains("cervical dystonia"))
    assert "DYKG:0001200" in browser.page_source
    browser.get(urljoin(served, "index.html"))
    browser.save_screenshot(str(screenshots / "index.png"))
    assert (screenshots / "index.png").stat().st_size > 10_000
    assert _console_errors(browser) == []
