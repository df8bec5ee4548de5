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
a new tab carries the selection too.

Streamlit's own menu also closes the sidebar when a page is chosen on a phone, where the sidebar
covers the page; a page link does not, so `CLOSE_ON_PHONE` does it.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui import sidebar

# What every page shares in its address: the filters, the language, the moment looked at.
# (A page's own parameters, such as Explore's `rec` or the slide number, stay on that page.)
SHARED = [*sidebar.PARAMS, sidebar.LANG_PARAM, "asof"]


# On a screen as narrow as Streamlit's "md" breakpoint (768 px, where its sidebar covers the page)
# a tapped page link in the sidebar presses the sidebar's own « button, as Streamlit's menu does;
# the reader's choice is then remembered as if they had pressed it. Fixed text: no value is built
# into it. Registered once per browser tab, whatever the number of runs.
CLOSE_ON_PHONE = """<script>
if (!window.uprClosesSidebarOnPhone) {
  window.uprClosesSidebarOnPhone = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest('[data-testid="stPageLink-NavLink"]');
    const inSidebar = link && link.closest('[data-testid="stSidebar"]');
    if (!inSidebar || !window.matchMedia("(max-width: 768px)").matches) return;
    const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close) close.click();
  });
}
</script>"""


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
        st.html(CLOSE_ON_PHONE, unsafe_allow_javascript=True)
