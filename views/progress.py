"""Progress: dated evidence and assessments on a timeline, progress and regression distinguished;
the evidence by theme and by kind of source, year by year."""

import streamlit as st

from ui.common import chart_panel, context, empty_guidance, selection_header, source_links
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
    listing, links = source_links(tables.evidence(evidence), _("Source"))
    chart_panel(charts.evidence_timeline(evidence, len(evidence)), listing, "evidence")
    st.dataframe(listing, hide_index=True, width="stretch", column_config=links)
    items = int(evidence["total"].iloc[0])

    st.header(_("Evidence by theme"))
    by_theme = cached.query("evidence_by_theme", f)
    chart_panel(
        charts.evidence_by_theme(by_theme, items),
        tables.evidence_counts(by_theme, "theme"),
        "evidence-theme",
    )

    st.header(_("Evidence by kind of source"))
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
    st.dataframe(tables.assessments(assessments), hide_index=True, width="stretch")
