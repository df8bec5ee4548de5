"""What the plan adds to other pages: the Overview's "due in the next 90 days"."""

from __future__ import annotations

from datetime import date

import streamlit as st

from ui.common import table
from ui.safe import md
from upr_data import cached
from upr_data.filters import Filters
from upr_data.i18n import _
from upr_data.plan import calendar, queries
from upr_data.plan import tables as plan_tables


def due_soon(f: Filters, today: date | None = None) -> None:
    """Plan items due within the next 90 days and the UPR's own dates in that window (the
    mid-term report, a review), or a line saying there are none."""
    today = today or date.today()
    st.header(_("Due in the next 90 days"))
    dates = calendar.upcoming(cached.query("plan_calendar", f, today), today, queries.DUE_DAYS)
    overdue = cached.query("plan_states", f, today)["overdue"]
    if not dates:
        st.caption(_("Nothing is due in the next 90 days."))
    if dates:
        table(plan_tables.calendar(dates))
    if overdue:
        st.markdown(md(_("{n} plan items are overdue: see the Plan page.", n=overdue)))
    if cached.query("plan_count", f) == 0:
        st.caption(
            _("No implementation plan is loaded, so no plan item can fall due (see the Plan page).")
        )
