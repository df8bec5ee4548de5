"""Themes: theme x response x status, and action category x response x status."""

import streamlit as st

from ui.common import chart_panel, context, empty_guidance, role_picker, selection_header
from upr_data import cached, charts, schema, tables, taxonomy
from upr_data.i18n import _

f, basis = context()
st.title(_("Themes and kinds of action"))
n = selection_header(f, basis)
st.caption(
    _(
        "Ask a precise question with the filters, for example: action category 5 "
        "(specific action), response Supported, evidence: without evidence."
    )
)
if n == 0:
    empty_guidance(f)
    st.stop()

role = role_picker("themes_role")
role_label = _(schema.ROLES[role])

themes = tables.with_labels(
    cached.query("by_theme_status", f, role, basis), "theme", taxonomy.THEMES
)
chart_panel(
    charts.status_grid(
        themes,
        "theme",
        _("Theme"),
        n,
        basis,
        _("Theme, response and status ({role})", role=role_label),
        by_response=True,
    ),
    themes,
    "themes",
)

actions = cached.query("by_action_status", f, role, basis)
actions = tables.with_labels(actions, "action_category", taxonomy.ACTION_CATEGORIES, numbered=True)
chart_panel(
    charts.status_grid(
        actions,
        "action_category",
        _("Action category"),
        n,
        basis,
        _("Action category, response and status ({role})", role=role_label),
        by_response=True,
    ),
    actions,
    "actions",
)
