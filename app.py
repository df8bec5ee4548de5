"""UPR Implementation Tracker: the router. Shared sidebar filters, then the chosen page."""

import streamlit as st

from ui import nav, safe, sidebar, table_access
from upr_data import asof, cached, i18n, params, settings
from upr_data.i18n import _

# Interface language, before anything is drawn: ?lang=km (the sidebar's switch writes it, and
# keeps it across page switches); English otherwise.
i18n.set_locale(sidebar.chosen_language())
st.set_page_config(page_title=_("UPR Implementation Tracker"), page_icon="🇺🇳", layout="wide")

PAGES = [
    st.Page(
        "views/overview.py",
        title=_("Overview"),
        icon=":material/dashboard:",
        default=True,  # served at "/"
    ),
    st.Page(
        "views/explore.py", title=_("Explore"), icon=":material/table_rows:", url_path="explore"
    ),
    st.Page("views/themes.py", title=_("Themes"), icon=":material/category:", url_path="themes"),
    st.Page(
        "views/stakeholders.py",
        title=_("Stakeholders"),
        icon=":material/groups:",
        url_path="stakeholders",
    ),
    st.Page(
        "views/states.py",
        title=_("Recommending States"),
        icon=":material/public:",
        url_path="states",
    ),
    st.Page(
        "views/progress.py", title=_("Progress"), icon=":material/timeline:", url_path="progress"
    ),
    st.Page(
        "views/recurring.py", title=_("Recurring"), icon=":material/repeat:", url_path="recurring"
    ),
    st.Page("views/plan.py", title=_("Plan"), icon=":material/assignment:", url_path="plan"),
    st.Page(
        "views/present.py", title=_("Present"), icon=":material/slideshow:", url_path="present"
    ),
    st.Page("views/data.py", title=_("Data"), icon=":material/edit_note:", url_path="data"),
]
# Streamlit's own menu drops the filters on a page switch and so breaks the Back button: the
# sidebar shows ui.nav's links instead, which carry them (see ui/nav.py).
page = st.navigation(PAGES, position="hidden")
menu = st.sidebar.container()
# ?asof=2022-07-01: every view, export and brief shows the store as it was then. Kept across page
# switches like the filters (st.navigation clears the link); ?asof=latest goes back to now.
asked = params.read(st.query_params, ["asof"]).first("asof") or st.session_state.get("_asof", "")
asked = "" if asked == "latest" else asked
past = asof.resolve(settings.store_path(), asked)
st.session_state["_asof"] = asked if past.snapshot is not None or past.note else ""
st.session_state[cached.ASOF_SNAPSHOT] = past.snapshot
if st.session_state["_asof"]:
    st.query_params["asof"] = st.session_state["_asof"]
elif "asof" in st.query_params:
    del st.query_params["asof"]
if cached.damage():
    # Wrong numbers would be worse than none: say what to do instead.
    st.error(
        _(
            "The store is damaged, so no figures can be shown. An administrator should run "
            "`python -m upr_data check`, which names what is wrong, then restore the store from "
            "its backup or rebuild it with `python -m upr_data build`."
        )
    )
    st.stop()
filters, basis, notes = sidebar.render()
if past.note:
    notes = [past.note, *notes]
st.session_state["_filters"], st.session_state["_basis"] = filters, basis
nav.links(menu, PAGES)  # after the filters and the as-of date are in the address
table_access.enable()
# Every note about the link in one box, as text (the values come from whoever wrote the link).
safe.notes_box(notes, icon=":material/link_off:")
page.run()
