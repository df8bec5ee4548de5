"""Cached store access for the app: the one module of upr_data that imports Streamlit.

One DuckDB database per store version (`st.cache_resource`; each query takes its own cursor), and
small query results cached per (query, normalised filters, arguments, store version). A write to
the store changes its version, so every open view sees the new data on its next run. The database
of a newer version is made from the one held by reading only the rows written since
(`incremental.connect_from`); sessions still on the older version keep theirs, unchanged.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref

import pandas as pd
import streamlit as st

from . import i18n, incremental, queries, settings, slides, store
from .filters import Filters
from .plan import queries as plan_queries

# Functions of (database, filters, *args) beyond the queries module.
EXTRA = {
    "slides": slides.build,
    "plan_items": plan_queries.items,
    "plan_by_institution": plan_queries.by_institution,
    "plan_states": plan_queries.state_counts,
    "plan_gaps": plan_queries.gaps,
    "plan_gaps_by_theme": plan_queries.gaps_by_theme,
    "plan_calendar": plan_queries.calendar_dates,
    "plan_count": lambda con, _f: plan_queries.count(con),
}
# How often the lake's catalog is asked for its newest snapshot (another server's write shows
# within this; a write of this process shows at once).
POLL_SECONDS = 1.0
_polled: dict[str, tuple[float, int, str]] = {}  # location -> (when, write generation, version)
_poll_lock = threading.Lock()


def store_version() -> str:
    location = settings.store_path()
    key = str(location)
    now, generation = time.monotonic(), store.generation()
    with _poll_lock:
        held = _polled.get(key)
        if held and now - held[0] < POLL_SECONDS and held[1] == generation:
            return held[2]
    found = store.version(location)
    with _poll_lock:
        _polled[key] = (now, generation, found)
    return found


ASOF_SNAPSHOT = "_asof_snapshot"  # session state: the snapshot a `?asof=` link asked for


def shown_version() -> str:
    """The snapshot this session's views show: the `?asof=` one, else the newest."""
    asked = st.session_state.get(ASOF_SNAPSHOT)
    return str(asked) if asked is not None else store_version()


# The newest database built per store: (its snapshot, a weak reference). A newer snapshot is made
# from it by reading only the rows written since (`incremental`), while sessions still showing
# the older one keep it; if it is gone (evicted, no session holds it) or that fails, the newer
# snapshot is read whole.
_newest: dict[str, tuple[int, weakref.ref]] = {}
_newest_lock = threading.Lock()
_log = logging.getLogger(__name__)


@st.cache_resource(max_entries=3, show_spinner=False)
def _database(store_dir: str, version: str):
    at = int(version)
    with _newest_lock:
        since, held = _newest.get(store_dir, (None, None))
    previous = held() if held is not None else None
    con = None
    if previous is not None and since < at:
        try:
            con = incremental.connect_from(previous, store_dir, since, at)
        except Exception as error:  # any failure: the snapshot read whole is always right
            _log.info("snapshot %s read whole, not from %s: %s", at, since, error)
    if con is None:
        con = queries.connect(store_dir, at=at)
    with _newest_lock:
        if store_dir not in _newest or _newest[store_dir][0] <= at:
            _newest[store_dir] = (at, weakref.ref(con))
    return con


def database():
    return _database(str(settings.store_path()), shown_version())


def _key(f: Filters) -> tuple:
    return tuple(sorted((k, tuple(v)) for k, v in f.to_params().items()))


@st.cache_data(max_entries=512, show_spinner=False)
def _run(name: str, key: tuple, args: tuple, location: str, version: str, locale: str):
    f = Filters.from_params({k: list(v) for k, v in key})
    function = EXTRA.get(name) or getattr(queries, name)
    return function(database(), f, *args)


def query(name: str, f: Filters, *args) -> pd.DataFrame | dict | int:
    """Run `queries.<name>(db, f, *args)` through the cache."""
    # The store's location is part of the key: two stores can be at the same snapshot number.
    # So is the language: a slide deck or a plan's calendar is written in it.
    locale = i18n.current_locale()
    return _run(name, _key(f), args, str(settings.store_path()), shown_version(), locale)


@st.cache_data(max_entries=64, show_spinner=False)
def _plain(name: str, args: tuple, location: str, version: str):
    return getattr(queries, name)(database(), *args)


def lookup(name: str, *args):
    """Run a query that takes no filters (coverage, one recommendation, pickers)."""
    return _plain(name, args, str(settings.store_path()), shown_version())


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


@st.cache_data(max_entries=16, show_spinner=False)
def _label(location: str, version: str, locale: str) -> str:
    from . import asof

    return asof.label(location, int(version))


def version_label() -> str:
    """The snapshot the views show, as pages, exports and briefs name it (in the reader's
    language: the locale is part of the cache key)."""
    return _label(str(settings.store_path()), shown_version(), i18n.current_locale())


@st.cache_data(max_entries=4, show_spinner=False, ttl=60)
def _health(location: str, version: str) -> list[str]:
    try:
        con = database()
    except Exception:  # any failure to load is damage; `check` names it
        return store.verify(location) or ["the store cannot be loaded"]
    empty = [
        name
        for name in store.REQUIRED_ROWS
        if con.cursor().execute(f"SELECT count(*) FROM {name}").fetchall()[0][0] == 0
    ]
    return [f"{name}: the table is empty" for name in empty]


def warm_up() -> str:
    """Read the newest snapshot of the store, check it and fill the first views' caches (`_prime`),
    outside any session (the server does it once, before it accepts a connection: serve.py). Says
    what it did, in a line for the server's log; a failure is left to the first page, which says
    what is wrong."""
    started = time.monotonic()
    location = str(settings.store_path())
    try:
        version = store_version()
        _database(location, version)
        problems = _health(location, version)
    except Exception as error:
        return f"The store at {location} was not read ahead: {error}"
    if problems:
        return f"The store at {location} is damaged: {'; '.join(problems)}"
    read = time.monotonic()
    try:
        _prime(location, version)
    except Exception as error:
        return f"The store at {location} was read ahead, its first views not: {error}"
    return (
        f"Store read ahead: {location}, snapshot {version}, in {read - started:.1f} s; "
        f"first views in {time.monotonic() - read:.1f} s"
    )


def _prime(location: str, version: str) -> None:
    """Fill the caches a first reader would otherwise wait for: what the sidebar and every page's
    header read with no filter, the landing page's figures (Overview, "/") and the recurrence
    links, in English."""
    from .tables import recent_since

    locale = i18n.DEFAULT_LOCALE
    everything = _key(Filters())
    sur = _run("reviewed_state", everything, (), location, version, locale)
    for name, args in (
        ("count", ("paragraphs",)),
        ("summary", ()),
        ("evidence_recency", (recent_since(),)),
        ("by_theme_response", ("paragraphs",)),
        ("by_theme_status", ("civil_society", "paragraphs")),
        ("recent_changes", (5,)),
    ):
        _run(name, everything, args, location, version, locale)
    for name, args in (
        ("surs_present", ()),
        ("cycles_present", (None,)),
        ("states_present", (None,)),
        ("coverage", (sur,)),
        ("coverage", (None,)),
    ):
        _plain(name, args, location, version)
    _label(location, version, locale)
    _recurrence(version)


def damage() -> list[str]:
    """What is wrong with the store, if it cannot serve the views (else [])."""
    return _health(str(settings.store_path()), shown_version())
