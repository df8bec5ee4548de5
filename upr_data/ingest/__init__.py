"""Importing recommendations: OHCHR UHRI export, UPR Info CSV export, our own template.

    parsed = read_file(path, store_dir, state="KHM")   # any layout; problems are in parsed
    plan = preview(store_dir, parsed)                   # what would change; plan.lines()
    counts = commit(store_dir, parsed)                  # all or nothing (InputError if problems)

Readers never write; `commit` appends part files through `store.append`, or writes nothing at
all when the store already holds the file's content. A changed position supersedes the stored
recommendation row with a newer one (see `current`).
"""

from __future__ import annotations

from .commit import commit
from .current import latest_rows, read_current
from .detect import KINDS, detect_kind, read_file
from .fetch import DEFAULT_URL, FetchError, fetch_uhri
from .model import OfficialTag, ParsedRecommendation, ParsedRecommendations, Position
from .preview import Preview, preview
from .template import read_template
from .uhri import read_uhri, write_uhri_layout
from .uprinfo import read_uprinfo

__all__ = [
    "DEFAULT_URL",
    "KINDS",
    "FetchError",
    "OfficialTag",
    "ParsedRecommendation",
    "ParsedRecommendations",
    "Position",
    "Preview",
    "commit",
    "detect_kind",
    "fetch_uhri",
    "latest_rows",
    "preview",
    "read_current",
    "read_file",
    "read_template",
    "read_uhri",
    "read_uprinfo",
    "write_uhri_layout",
]
