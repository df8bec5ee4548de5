from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import tiny_store
from upr_data import queries
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
