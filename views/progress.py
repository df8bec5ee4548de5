"""Progress: dated evidence and assessments on a timeline, progress and regression distinguished;
the evidence by theme and by kind of source, year by year."""

import streamlit as st

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

f, basis = context()
st.title(_("Progress over time"))
n = selection_header(f, basis)
if n == 0:
    empty_guidance(f)
    st.stop()

evidence = cached.query("evidence_timeline", f)
if evidence.empty:
    st.info(_("No evidence is recorded for this selection yet."))
else:
    if int(evidence["total"].iloc[0]) > len(evidence):
        st.caption(
            _(
                "Showing the {shown} most recent of {n} pieces of evidence; narrow the "
                "filters to see the others.",
                shown=len(evidence),
                n=int(evidence["total"].iloc[0]),
            )
        )
    # Each piece of evidence with its source: the timeline's table, one click away like every
    # chart's (a data grid drawn with the page cost its first visit ~0.2 s).
    listing, links = source_links(tables.evidence(evidence), _("Source"))
    chart_panel(charts.evidence_timeline(evidence, len(evidence)), listing, "evidence", links)
    items = int(evidence["total"].iloc[0])

    # One year-by-year grid at a time: each is a chart of several hundred cells, and both drawn
    # with the page took a first visit past 2 s (bench/first_visit.py).
    st.header(_("Evidence year by year"))
    by = st.radio(
        _("Count the evidence by"),
        ["theme", "source_kind"],
        format_func=lambda c: _("Theme") if c == "theme" else _("Kind of source"),
        horizontal=True,
        key="evidence_by",
    )
    if by == "theme":
        by_theme = cached.query("evidence_by_theme", f)
        chart_panel(
            charts.evidence_by_theme(by_theme, items),
            tables.evidence_counts(by_theme, "theme"),
            "evidence-theme",
        )
    else:
        by_kind = cached.query("evidence_by_kind", f)
        chart_panel(
            charts.evidence_by_kind(by_kind, items),
            tables.evidence_counts(by_kind, "source_kind"),
            "evidence-kind",
        )

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
