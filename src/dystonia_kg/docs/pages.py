"""Where an entity's page lives in the generated site: one naming rule for pages, links and diagrams."""

from __future__ import annotations

import re

_UNSAFE_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9_.-]")


def page_file_name(curie: str) -> str:
    """The file name of an entity's page ('DYKG:0001001' -> 'DYKG_0001001.html'), safe on every file system."""
    return _UNSAFE_IN_FILE_NAMES.sub("_", curie) + ".html"
