"""Fixtures of the browser tests: Debian's Chromium, one Streamlit server, problem checks.

One server serves the whole session, on a lake of its own holding the bundled data (`UPR_LAKE`),
so the tests never touch the repository's lake and the expected numbers come from the same data.
Every test fails on a browser console error, an uncaught page error or a request leaving the
machine.
Without /usr/bin/chromium the tests skip, except under CI (env `CI` set), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.browser_support import (
    BUNDLED_STORE,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    BrowserProblems,
    StreamlitServer,
)
from upr_data import queries, store

# Assertions retry for up to 10 s (Playwright's default is 5 s): on two busy cores a page's charts
# drawn in software can take that long after the script run has finished.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture(scope="session")
def store_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the bundled store: the server and the expected numbers both read it."""
    target = tmp_path_factory.mktemp("upr") / "store"
    store.replace_base(target, store.read_bundled(BUNDLED_STORE))
    return target


@pytest.fixture(scope="session")
def db(store_copy: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """DuckDB on the same store copy the server reads: the expected figures."""
    con = queries.connect(store_copy)
    yield con
    con.close()


@pytest.fixture(scope="session")
def start_server(
    store_copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[], StreamlitServer]]:
    """Starts servers on the store copy on demand; stops every one of them at the end."""
    started: list[StreamlitServer] = []

    def _start() -> StreamlitServer:
        server = StreamlitServer(store_copy, tmp_path_factory.mktemp("server") / "streamlit.log")
        started.append(server)
        return server.start()

    yield _start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def app_server(start_server: Callable[[], StreamlitServer]) -> StreamlitServer:
    """The session's server. Not warmed up: the first test's visit is a real first visit."""
    return start_server()


@pytest.fixture(scope="session")
def base_url(app_server: StreamlitServer) -> str:
    """The server's address, so that tests write `page.goto("/explore?...")`."""
    return app_server.url


@pytest.fixture(autouse=True)
def browser_problems(context: BrowserContext) -> Iterator[BrowserProblems]:
    """Fails the test on a console error, page error or external request in its contexts.

    Watches the test's own context; a test that opens another one passes it to
    `browser_problems.watch(...)`.
    """
    problems = BrowserProblems()
    problems.watch(context)
    yield problems
    assert not problems.found, "The browser reported problems:\n" + "\n".join(problems.found)
