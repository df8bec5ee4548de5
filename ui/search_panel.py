"""Where a search was found beyond the recommendations' texts (upr_data.search), on Explore.

The sidebar's "Search the text" filters the recommendations by their own text. A reader who types
a name from the evidence ("Tep Vanny"), a State, a publisher or a UN document symbol
("A/HRC/26/16") is told where it was found, in words, and can open the recommendations it leads
to, instead of seeing an unexplained 0.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from ui import nav
from ui.safe import md
from upr_data import cached, queries, search, tables
from upr_data.filters import Filters
from upr_data.i18n import _

TABLE_KEY = "search_table"
REC = "rec"  # the link's parameter of the recommendation shown in full


def pick_into_link(key: str, ids: list[str]) -> None:
    """A table's `on_select` callback: the ticked row's recommendation goes into the link
    (`?rec=`), an unticked table takes it out; the page shows what the link says."""
    rows = st.session_state[key].selection.rows
    if rows:
        st.query_params[REC] = ids[rows[0]]
    elif REC in st.query_params:
        del st.query_params[REC]


@st.cache_data(max_entries=64, show_spinner=False)
def _search(text: str, sur: str, version: str) -> list[search.Hit]:
    return search.search(cached.database(), text, sur)


def _hits(f: Filters) -> list[search.Hit]:
    return _search(f.text, cached.query("reviewed_state", f), cached.shown_version())


def _where_heading(f: Filters) -> None:
    st.markdown("**" + md(_("Where “{text}” was found", text=f.text)) + "**")


def _where_list(hits: list[search.Hit]) -> None:
    st.markdown("\n".join(f"- {md(hit.found)}" for hit in hits))


def found_elsewhere(f: Filters) -> None:
    """On a page that found no recommendation: where else `f.text` was found, if anywhere, and a
    link to Explore, which lists the recommendations it leads to."""
    hits = _hits(f) if f.text else []
    if not hits:
        return
    _where_heading(f)
    _where_list(hits)
    st.page_link(
        "views/explore.py",
        label=_("Explore the recommendations"),
        query_params=nav.shared_params() or None,
        icon=":material/table_rows:",
    )


def show(f: Filters) -> list[search.Hit]:
    """The places `f.text` was found, each in words, and a table of the recommendations found
    beyond their own texts (a row chosen there opens it, through the link)."""
    if not f.text:
        return []
    hits = _hits(f)
    _where_heading(f)
    if not hits:
        st.caption(
            md(
                _(
                    "Nowhere: not in the recommendations' texts, the evidence (summaries, titles, "
                    "actors, publishers), the recommending States, the assessments or the UN "
                    "document symbols."
                )
            )
        )
        return hits
    _where_list(hits)
    places = search.found_in([h for h in hits if h.place != "text"])
    own = {r for h in hits if h.place == "text" for r in h.rec_ids}
    beyond = [r for r in places if r not in own]
    if not beyond:
        return hits
    st.caption(
        md(
            _(
                "Recommendations found through the evidence, States, assessments or documents "
                "(the sidebar's other filters are not applied to this list). Choose a row to "
                "see one in full."
            )
        )
    )
    rows = queries.recommendations_by_id(cached.database(), beyond)
    shown = tables.recommendations(rows)
    through = [
        "; ".join(_(search.PLACE_LABELS[p]) for p in places.get(r, [])) for r in rows["rec_id"]
    ]
    shown.insert(0, _("Found through"), pd.Series(through, index=shown.index))
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * len(shown)),
        on_select=partial(pick_into_link, TABLE_KEY, list(rows["rec_id"])),
        selection_mode="single-row",
        key=TABLE_KEY,
    )
    return hits
