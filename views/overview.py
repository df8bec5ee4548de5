"""Overview: headline figures, themes by response, status by theme, recent changes, coverage."""

import streamlit as st

from ui import plan_view, safe
from ui.common import (
    chart_panel,
    context,
    empty_guidance,
    metric_row,
    role_picker,
    selection_header,
    table,
)
from upr_data import cached, charts, schema, tables, taxonomy
from upr_data.countries import display_name
from upr_data.i18n import _

f, basis = context()
reviewed = display_name(cached.query("reviewed_state", f))
st.title(_("UPR recommendations to {state}: what has happened since", state=safe.md(reviewed)))
n = selection_header(f, basis)
figures = cached.query("summary", f)
metric_row(
    [
        (_("Recommendations"), figures["recommendations"]),
        (_("Recommending States"), figures["recommending_states"]),
        (_("Supported"), figures["supported"]),
        (_("Noted"), figures["noted"]),
        (_("With evidence"), figures["with_evidence"]),
        (_("Assessed so far"), figures["assessed"]),
    ]
)
recency = cached.query("evidence_recency", f, tables.recent_since())
st.markdown(
    safe.md(tables.evidence_recency(recency, figures["recommendations"], tables.recent_since()))
)

if n == 0:
    empty_guidance(f)
else:
    themes = cached.query("by_theme_response", f, basis)
    chart_panel(charts.theme_response(themes, n, basis), themes, "theme-response")

    st.header(_("Implementation status by theme"))
    role = role_picker("overview_role")
    if figures["assessed"] == 0:
        st.caption(
            _(
                "No assessment is recorded for this selection yet: a status exists only "
                "where a stakeholder assessed a recommendation."
            )
        )
    status = tables.with_labels(
        cached.query("by_theme_status", f, role, basis), "theme", taxonomy.THEMES
    )
    chart_panel(
        charts.status_grid(
            status,
            "theme",
            _("Theme"),
            n,
            basis,
            _("Latest status by theme, as assessed by: {role}", role=_(schema.ROLES[role])),
        ),
        status,
        "theme-status",
    )

    st.header(_("What changed recently"))
    recent = cached.query("recent_changes", f, 5)
    if recent.empty:
        st.caption(_("Nothing dated is recorded for this selection yet."))
    else:
        table(tables.recent(recent), links=(_("Source"),))

plan_view.due_soon(f)

st.header(_("Coverage of the UPR cycles"))
coverage = cached.lookup("coverage", f.sur or None)
table(tables.coverage(coverage))
safe.caption(tables.coverage_note(coverage))
