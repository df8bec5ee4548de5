"""Explore: the filtered table; choosing a row shows the recommendation in full. A search also
says where else it was found (evidence, States, assessments, UN documents)."""

from functools import partial

import streamlit as st

from ui import detail, search_panel
from ui.common import context, empty_guidance, selection_header
from ui.search_panel import REC, pick_into_link
from upr_data import cached, exports, params, queries, tables
from upr_data.i18n import _

f, basis = context()
st.title(_("Explore the recommendations"))
n = selection_header(f, "paragraphs")
hits = search_panel.show(f)
# a recommendation id in the link: anything that cannot be one is ignored
rec_id = params.identifier(params.read(st.query_params, [REC]).first(REC))
if n == 0:
    if not hits:
        empty_guidance(f)
    if rec_id:
        st.divider()
        detail.show(rec_id)
    st.stop()

con, version = cached.database(), cached.version_label()
csv_column, xlsx_column, _rest = st.columns([1, 1, 3])
# The files are built only when a button is clicked, from every selected row (no cap).
csv_column.download_button(
    _("Download CSV"),
    lambda: exports.to_csv(exports.export_frame(con, f)),
    file_name="upr-recommendations.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="export_csv",
)
xlsx_column.download_button(
    _("Download Excel"),
    lambda: exports.to_xlsx(
        exports.export_frame(con, f),
        description=f.describe(n),
        data_version=version,
        dictionary=exports.dictionary(),
        sources=exports.sources_line(con),
    ),
    file_name="upr-recommendations.xlsx",
    on_click="ignore",
    icon=":material/download:",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="export_xlsx",
)
rows = cached.query("recommendations", f, queries.MAX_ROWS)
if n > len(rows):
    st.caption(_("Showing the first {shown} of {n}.", shown=len(rows), n=n))
ids = list(rows["rec_id"])
# The row of the link's recommendation is ticked. A table's selection can only be given when it
# is first drawn, so the table is keyed by that recommendation: a new link (or Back) draws it
# afresh with the right row ticked.
key = f"explore_table-{rec_id}" if rec_id else "explore_table"
st.dataframe(
    tables.recommendations(rows),
    hide_index=True,
    width="stretch",
    height=420,
    on_select=partial(pick_into_link, key, ids),
    selection_mode="single-row",
    selection_default={"selection": {"rows": [ids.index(rec_id)]}} if rec_id in ids else None,
    key=key,
)
st.caption(_("Choose a row to see the recommendation in full."))

if rec_id:
    st.divider()
    detail.show(rec_id)
