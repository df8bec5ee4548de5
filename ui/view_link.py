"""A view's own choices in its link (`?by=role&slide=3`, `?evidence_by=theme`,
`?assessed_by=government`), next to the shared filters (ui/sidebar.py), so that a link opens the
view as it was shown: the chart a presenter picked, whose assessments a status chart shows.

A value the link does not hold is the default, and is not written into it: a write on a page's
first run adds a history entry, and Back would then land on the page without it, which would
write it again, and never leave. A value the link holds wrongly is corrected. A page switch drops
these (ui/nav.py carries only the filters): they belong to the page that shows them.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from upr_data import params


def _in_link(param: str) -> str | None:
    found = params.read(st.query_params, [param])
    return found.first(param) if param in found else None


def choice(param: str, choices: Sequence[str], default: str) -> str:
    """One of `choices` from the link (anything else: `default`)."""
    raw = _in_link(param)
    value = params.choice(raw or "", tuple(choices), default)
    if raw is not None and raw != value:
        st.query_params[param] = value
    return value


def number(param: str, count: int) -> int:
    """A number from the link, within 1..count (anything else: 1)."""
    raw = _in_link(param)
    value = params.number(raw or "1", 1, 1, max(count, 1))
    if raw is not None and raw != str(value):
        st.query_params[param] = str(value)
    return value


def go(**values: object) -> None:
    """These values into the link (a widget's callback: the run that follows reads them)."""
    for key, value in values.items():
        st.query_params[key] = str(value)


def linked(param: str, key: str, choices: Sequence[str], default: str) -> dict:
    """A choice widget's arguments for a value kept in the link: the link sets the widget (a
    shared link, the Back button), and a change writes the link (the default by leaving it
    out). Pass them to the widget with `key=key`."""
    st.session_state[key] = choice(param, choices, default)
    return {"key": key, "on_change": _write, "args": (param, key, default)}


def _write(param: str, key: str, default: str) -> None:
    write(param, st.session_state.get(key) or default, default)


def write(param: str, value: str, default: str) -> None:
    """`value` into the link, unless it is the default, which the link leaves out."""
    if value != default:
        if st.query_params.get_all(param) != [value]:
            st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]
