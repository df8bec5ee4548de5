"""The server's entry: `streamlit run serve.py` serves the app (app.py, the router) as
`streamlit run app.py` would, but loads the modules every page imports and reads the store
(`upr_data.cached.warm_up`) before it accepts a connection. The first visit after a restart then
takes about as long as any other (bench/first_visit.py) instead of waiting 2-3 s for them, and
the health check (`/_stcore/health`) answers once the server is ready to serve readers.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from contextlib import asynccontextmanager

import streamlit as st


def _warm_up() -> None:
    # Altair, pandas, DuckDB and the query layer: about 1.5 s to import.
    import ui.common
    import ui.sidebar  # noqa: F401
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
    sys.stderr.write(said + "\n")


@asynccontextmanager
async def _lifespan(_app):
    await asyncio.to_thread(_warm_up)
    yield


app = st.App("app.py", lifespan=_lifespan)
