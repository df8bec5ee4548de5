"""Stakeholders: the four roles (and UN bodies), what each is expected to do, what each has
recorded on the selection, and where government and civil society assessments disagree."""

import streamlit as st

from ui.common import chart_panel, context, empty_guidance, selection_header, table
from upr_data import cached, charts, schema, stakeholders, tables
from upr_data.i18n import _

f, basis = context()
st.title(_("Stakeholders in implementation"))
n = selection_header(f, basis)
if n == 0:
    empty_guidance(f)
    st.stop()

activity = cached.query("role_activity", f)
table(tables.role_activity(activity))

st.header(_("What each role is expected to do"))
roles = list(schema.ROLES.items())
for row in (roles[:3], roles[3:]):
    for column, (role, label) in zip(st.columns(3), row, strict=False):
        with column, st.container(border=True):
            st.markdown(f"**{_(label)}**")
            st.markdown("\n".join(f"- {_(item)}" for item in stakeholders.EXPECTED[role]))
st.caption(_(stakeholders.SOURCE))

statuses = cached.query("by_role_status", f, basis)
chart_panel(charts.role_status(statuses, n, basis), statuses, "role-status")

st.header(_("Where the government and civil society disagree"))
disagree = cached.query("disagreements", f, "government", "civil_society")
if disagree.empty:
    st.caption(
        _(
            "No recommendation in this selection has a government and a civil society "
            "assessment that differ (statuses exist only where a role assessed)."
        )
    )
else:
    total = int(disagree["total"].iloc[0])
    if total > len(disagree):
        st.caption(
            _(
                "Showing the first {shown} of {n} recommendations where they disagree; narrow "
                "the filters to see the others.",
                shown=len(disagree),
                n=total,
            )
        )
    table(disagree.drop(columns="total"))
