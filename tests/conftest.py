from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import streamlit as st

from tests import lake_servers, tiny_store
from upr_data import lake, queries, store
from upr_data.settings import DEFAULT_STORE, SOURCES_DIR


def _template(folder: Path, make) -> Path:
    """A lake made once per test session; each test gets a copy of the folder (an embedded
    lake's files are named relative to it, so a copy is a lake of its own)."""
    make(folder)
    lake.SHARED.forget(folder)  # closed: the copy is of a quiet catalog file
    return folder


def _copy(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


@pytest.fixture(scope="session")
def _tiny_template(tmp_path_factory) -> Path:
    return _template(tmp_path_factory.mktemp("templates") / "tiny", tiny_store.write)


@pytest.fixture
def tiny(tmp_path: Path, _tiny_template: Path) -> Path:
    return _copy(_tiny_template, tmp_path / "tiny")


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


@pytest.fixture(scope="session")
def _empty_template(tmp_path_factory) -> Path:
    bundled = store.read_bundled()
    tables = {t: bundled[t] for t in ("cycles", "states")}
    return _template(
        tmp_path_factory.mktemp("templates") / "empty", lambda f: store.replace_base(f, tables)
    )


@pytest.fixture
def empty_store(tmp_path: Path, _empty_template: Path) -> Path:
    """A store holding only the bundled `cycles` and `states` tables."""
    return _copy(_empty_template, tmp_path / "empty")


@pytest.fixture(scope="session")
def _bundled_template(tmp_path_factory) -> Path:
    return _template(
        tmp_path_factory.mktemp("templates") / "bundled",
        lambda f: store.replace_base(f, store.read_bundled()),
    )


@pytest.fixture
def bundled_copy(tmp_path: Path, _bundled_template: Path) -> Path:
    """A store of its own holding the bundled data."""
    return _copy(_bundled_template, tmp_path / "bundled")


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


@pytest.fixture
def fresh_caches():
    """Streamlit's caches emptied before and after a test (they are per process)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
