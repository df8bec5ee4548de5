"""Cached store access for the app: the one module of upr_data that imports Streamlit.

One DuckDB database per store version (`st.cache_resource`; each query takes its own cursor), and
small query results cached per (query, normalised filters, arguments, store version). A write to
the store changes its version, so every open view sees the new data on its next run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from . import queries, settings, slides, store
from .filters import Filters

# Functions of (database, filters, *args) beyond the queries module.
EXTRA = {"slides": slides.build}


def store_version() -> str:
    return store.version(settings.store_path())


@st.cache_resource(max_entries=2, show_spinner=False)
def _database(store_dir: str, version: str):
    return queries.connect(Path(store_dir))


def database():
    return _database(str(settings.store_path()), store_version())


def _key(f: Filters) -> tuple:
    return tuple(sorted((k, tuple(v)) for k, v in f.to_params().items()))


@st.cache_data(max_entries=512, show_spinner=False)
def _run(name: str, key: tuple, args: tuple, version: str):
    f = Filters.from_params({k: list(v) for k, v in key})
    function = EXTRA.get(name) or getattr(queries, name)
    return function(database(), f, *args)


def query(name: str, f: Filters, *args) -> pd.DataFrame | dict | int:
    """Run `queries.<name>(db, f, *args)` through the cache."""
    return _run(name, _key(f), args, store_version())


@st.cache_data(max_entries=64, show_spinner=False)
def _plain(name: str, args: tuple, version: str):
    return getattr(queries, name)(database(), *args)


def lookup(name: str, *args):
    """Run a query that takes no filters (coverage, one recommendation, pickers)."""
    return _plain(name, args, store_version())


@st.cache_data(max_entries=2, show_spinner=False)
def _recurrence(version: str) -> pd.DataFrame:
    from . import recurrence

    target = settings.store_path()
    if store.read_table(target, "recommendations").num_rows > recurrence.MAX_RECOMMENDATIONS:
        return pd.DataFrame(columns=recurrence.COLUMNS)
    return recurrence.from_store(target)


def recurrence_links() -> pd.DataFrame:
    """Links between similar recommendations of different cycles (empty for very large stores)."""
    return _recurrence(store_version())
