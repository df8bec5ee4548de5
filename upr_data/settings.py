"""Where things live. One setting: the store, from `UPR_LAKE` (default: the folder `data/lake`).

`UPR_LAKE` is a folder (an embedded lake: a SQLite catalog and the data files in it) or
`postgres:<connection string>` (a catalog that several servers share, with the data files at
`UPR_LAKE_DATA`; see `lake`). `UPR_STORE`, its earlier name, is still read.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCES_DIR = REPO_ROOT / "data" / "sources"
BUNDLED_DIR = REPO_ROOT / "data" / "store"  # the bundled base tables, as `build` writes them
DEFAULT_STORE = REPO_ROOT / "data" / "lake"  # the embedded lake, made from them on first use
STATE_UNDER_REVIEW = "KHM"


def store_path() -> Path | str:
    """The store's location: `$UPR_LAKE` (a folder, relative to the working directory, or a
    `postgres:` string), else the embedded lake in the repository."""
    value = (os.environ.get("UPR_LAKE") or os.environ.get("UPR_STORE") or "").strip()
    if not value:
        return DEFAULT_STORE
    return value if value.startswith("postgres:") else Path(value).resolve()
