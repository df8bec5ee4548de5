"""Where things live. One setting: the store folder, from `UPR_STORE` (default `data/store`)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCES_DIR = REPO_ROOT / "data" / "sources"
DEFAULT_STORE = REPO_ROOT / "data" / "store"
STATE_UNDER_REVIEW = "KHM"


def store_path() -> Path:
    """The store folder: `$UPR_STORE` if set (relative to the working directory), else bundled."""
    value = os.environ.get("UPR_STORE", "").strip()
    return Path(value).resolve() if value else DEFAULT_STORE
