"""Progress: the dated evidence over time (progress and regression distinguished), or by theme or
by kind of source year by year, one chart at a time; then the sourced assessments."""

import streamlit as st

from ui import view_link
from ui.common import (
    chart_panel,
    context,
    empty_guidance,
    selection_header,
    source_links,
    table,
)
from upr_data import cached, charts, tables
from upr_data.i18n import _

# The evidence charts, one shown at a time (the reader picks which): each has hundreds of marks, and
# the three drawn with the page took a first visit past 2 s (bench/first_visit.py).
VIEWS = {
    "time": _("over time"),
    "theme": _("by theme, year by year"),
    "source_kind": _("by kind of source, year by year"),
}
# A year-by-year view: its query, its chart, its panel's key.
YEAR_GRIDS = {
    "theme": ("evidence_by_theme", charts.evidence_by_theme, "evidence-theme"),
    "source_kind": ("evidence_by_kind", charts.evidence_by_kind, "evidence-kind"),
}

f, basis = context()
st.title(_("Progress over time"))
n = selection_header(f, basis)
if n == 0:
    empty_guidance(f)
    st.stop()

st.header(_("Evidence"))
evidence = cached.query("evidence_timeline", f)
if evidence.empty:
    st.info(_("No evidence is recorded for this selection yet."))
else:
    items = int(evidence["total"].iloc[0])  # all of the selection's, not only the rows shown
    if items > len(evidence):
        st.caption(
            _(
                "Showing the {shown} most recent of {n} pieces of evidence; narrow the "
                "filters to see the others.",
                shown=len(evidence),
                n=items,
            )
        )
    view = st.radio(
        _("Show the evidence"),
        list(VIEWS),
        format_func=VIEWS.get,
        horizontal=True,
        **view_link.linked("evidence_by", "evidence_view", list(VIEWS), "time"),
    )
    if view == "time":  # each piece of evidence with its source: the timeline's table
        listing, links = source_links(tables.evidence(evidence), _("Source"))
        chart_panel(charts.evidence_timeline(evidence, len(evidence)), listing, "evidence", links)
    else:  # a year-by-year grid: the counts by theme, or by kind of source
        query, chart, key = YEAR_GRIDS[view]
        counts = cached.query(query, f)
        chart_panel(chart(counts, items), tables.evidence_counts(counts, view), key)

st.header(_("Assessments"))
assessments = cached.query("assessment_timeline", f)
if assessments.empty:
    st.caption(
        _(
            "No assessment is recorded for this selection yet: a status exists only where "
            "a stakeholder assessed a recommendation."
        )
    )
else:
    if int(assessments["total"].iloc[0]) > len(assessments):
        st.caption(
            _(
                "Showing the {shown} most recent of {n} assessments.",
                shown=len(assessments),
                n=int(assessments["total"].iloc[0]),
            )
        )
    table(tables.assessments(assessments), links=(_("Evidence"),))
