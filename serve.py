"""The server's entry: `streamlit run serve.py` serves the app (app.py, the router) as
`streamlit run app.py` would, but loads the modules every page imports, reads the store and runs
the first views' queries (`upr_data.cached.warm_up`) before it accepts a connection. The first
visit after a restart then takes about as long as any other (bench/first_visit.py) instead of
waiting 2-3 s for them, and the health check (`/_stcore/health`) answers once the server is
ready to serve readers. Its middleware (asgi/) makes Streamlit's server send each answer at once
and tells the frontend where the server is.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import importlib
import inspect
import logging
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from asgi.base_path import BasePathHint
from asgi.no_delay import NoDelay

ROOT = Path(__file__).resolve().parent


def _page_imports() -> list[str]:
    """The modules the router and the pages import (read from their scripts, so that a page's
    new import is warmed too): Altair, pandas, DuckDB, the query layer, the emoji table
    `st.set_page_config` looks the icon up in."""
    names = ["streamlit.emojis"]
    for script in [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]:
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _warm_up() -> None:
    # About 1.5 s of imports.
    for name in _page_imports():
        with contextlib.suppress(ImportError):  # `from x import function`: not a module
            importlib.import_module(name)
    from upr_data import cached

    # The caches are filled outside any session, which Streamlit would warn about once ("missing
    # ScriptRunContext"): expected here, so not logged.
    context_log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = context_log.level
    context_log.setLevel(logging.ERROR)
    try:
        said = cached.warm_up()
    finally:
        context_log.setLevel(level)
    # The first element any session draws makes Streamlit look at the call stack (is it run from
    # a REPL?), and `inspect` then finds the source file of every loaded module, once per process:
    # ~0.1 s of the first reader's visit, spent here instead.
    inspect.stack()
    sys.stderr.write(said + "\n")


@asynccontextmanager
async def _lifespan(_app):
    await asyncio.to_thread(_warm_up)
    yield


# Nagle's algorithm off on every connection, then the app's root named in a page's HTML: each
# takes 0.1-0.3 s off a first visit (asgi/, bench/README.md).
app = st.App(
    "app.py", lifespan=_lifespan, middleware=[Middleware(NoDelay), Middleware(BasePathHint)]
)
