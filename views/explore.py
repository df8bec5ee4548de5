"""Explore: the filtered table; choosing a row shows the recommendation in full."""

import streamlit as st

from ui import detail
from ui.common import context, empty_guidance, selection_header
from upr_data import cached, exports, params, queries, tables
from upr_data.i18n import _

f, basis = context()
st.title(_("Explore the recommendations"))
n = selection_header(f, "paragraphs")
if n == 0:
    empty_guidance(f)
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
event = st.dataframe(
    tables.recommendations(rows),
    hide_index=True,
    width="stretch",
    height=420,
    on_select="rerun",
    selection_mode="single-row",
    key="explore_table",
)
st.caption(_("Choose a row to see the recommendation in full."))

chosen = event.selection.rows if event and event.selection else []
if chosen:
    rec_id = rows.iloc[chosen[0]]["rec_id"]
else:  # a recommendation id in the link: anything that cannot be one is ignored
    rec_id = params.identifier(params.read(st.query_params, ["rec"]).first("rec"))
if rec_id:
    st.query_params["rec"] = rec_id
    st.divider()
    detail.show(rec_id)
