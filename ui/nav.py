"""The page menu: links that carry the link's selection, so the browser's Back button works.

Why not Streamlit's own menu: on a page switch, its frontend (1.67) pushes a history entry for the
new page's address without the query parameters no widget is bound to (`filterParamsForPageChange`
keeps only `bind="query-params"` widgets' ones), then the app writes the filters back into the
address, which pushes a second entry. `/states?state=DEU` → Explore gave
[`/states?state=DEU`, `/explore`, `/explore?state=DEU`]: Back went to the bare `/explore`, whose
run wrote `?state=DEU` back, so Back seemed to do nothing. (The filters cannot be bound widgets:
a bound multiselect writes its labels, in the reader's language, into the address, not our
stable codes.)

Streamlit's documentation of `st.query_params` says as much: parameters are cleared on a page
switch except those bound to widgets; "to pass query parameters to the new page, use the
`query_params` parameter of `st.switch_page` or `st.page_link`". A `st.page_link` carries them:
clicking it pushes one entry, the new page with the selection already in its address, and the
run then finds nothing to rewrite. So app.py hides Streamlit's menu (`position="hidden"`) and
draws these links instead, after the sidebar filters have written the address; a link opened in
a new tab carries the selection too. (Unlike
Streamlit's own menu, on a phone the sidebar stays open after a link is tapped: « closes it.)
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui import sidebar

# What every page shares in its address: the filters, the language, the moment looked at.
# (A page's own parameters, such as Explore's `rec` or the slide number, stay on that page.)
SHARED = [*sidebar.PARAMS, sidebar.LANG_PARAM, "asof"]


def shared_params() -> dict[str, list[str]]:
    """The shared parameters of the current address, in its order."""
    return {key: st.query_params.get_all(key) for key in st.query_params if key in SHARED}


def links(slot, pages: Sequence) -> None:
    """One link per page in `slot` (a container at the top of the sidebar), each carrying the
    shared parameters of the current address."""
    carried = shared_params()
    with slot:
        for page in pages:
            st.page_link(page, query_params=carried or None, width="stretch")
