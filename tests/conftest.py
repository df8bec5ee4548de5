from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests import tiny_store
from upr_data import queries, store
from upr_data.settings import DEFAULT_STORE, SOURCES_DIR


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return tiny_store.write(tmp_path / "tiny")


@pytest.fixture
def tiny_db(tiny: Path):
    return queries.connect(tiny)


@pytest.fixture(scope="session")
def real_db():
    """The bundled store (read-only use)."""
    return queries.connect(DEFAULT_STORE)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A writable copy of data/sources."""
    target = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, target)
    return target


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file of a store (parquet, commit markers, lock), by content."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def empty_store(tmp_path: Path) -> Path:
    """A store holding only the bundled `cycles` and `states` tables."""
    target = tmp_path / "empty"
    store.replace_base(
        target, {t: store.read_table(DEFAULT_STORE, t) for t in ("cycles", "states")}
    )
    return target


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    target = tmp_path / "bundled"
    shutil.copytree(DEFAULT_STORE, target, ignore=shutil.ignore_patterns(".lock"))
    return target
