from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests import lake_servers, tiny_store
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
    bundled = store.read_bundled()
    store.replace_base(target, {t: bundled[t] for t in ("cycles", "states")})
    return target


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A store of its own holding the bundled data."""
    target = tmp_path / "bundled"
    store.replace_base(target, store.read_bundled())
    return target


@pytest.fixture(scope="session")
def servers():
    with lake_servers.postgres() as pg, lake_servers.s3_server() as s3:
        yield pg, s3


@pytest.fixture
def shared_lake(servers, monkeypatch):
    """A new, empty shared lake: a PostgreSQL database and an S3 bucket of its own."""
    pg, s3 = servers
    for key, value in s3.env(s3.create_bucket()).items():
        monkeypatch.setenv(key, value)
    return f"postgres:{pg.dsn(pg.create_database())}"
