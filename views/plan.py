"""Plan: who is responsible for what, by when, measured how; what is overdue and what has no plan
at all; and the UPR calendar, downloadable as an iCalendar file."""

from datetime import date

import streamlit as st

from ui.common import (
    context,
    empty_guidance,
    metric_row,
    selection_header,
    show_chart,
    table,
)
from upr_data import cached
from upr_data.countries import display_name
from upr_data.i18n import _
from upr_data.plan import calendar
from upr_data.plan import tables as plan_tables

f, basis = context()
today = date.today()
st.title(_("Implementation plan"))
n = selection_header(f, basis)
if n == 0:
    empty_guidance(f)
    st.stop()

held = cached.query("plan_count", f)
if held == 0:
    st.info(
        _(
            "No implementation plan is loaded. None ships with this app: no action plan of "
            "the State under review (such as a Human Rights Action Plan naming the ministry "
            "responsible for each recommendation) is available to this project, and the app "
            "never invents one. Editors can load a plan on the Data page, as a CSV or Excel "
            "matrix with one row per recommendation (ministry, action, indicator, timeline), "
            "or enter its items one by one."
        )
    )

states = cached.query("plan_states", f, today)
items = cached.query("plan_items", f, today)
if held:
    metric_row(
        [
            (_("Plan items"), len(items)),
            (_("Overdue"), states["overdue"]),
            (_("Due in the next 90 days"), states["due"]),
            (_("Completed"), states["completed"]),
            (_("No due date"), states["no_due_date"]),
        ]
    )
    st.caption(
        _(
            "An item is overdue once its due date has passed without a report that it is "
            "completed (due today is not overdue); an item without a due date is never "
            "overdue. Due dates are the last day of the period the plan gives (2026: 31 "
            "December 2026)."
        )
    )

    st.header(_("Who is responsible"))
    by_institution = cached.query("plan_by_institution", f, today)
    if by_institution.empty:
        st.caption(_("No plan item covers a recommendation of this selection."))
    else:
        table(plan_tables.institutions(by_institution))

    st.header(_("Plan items"))
    labels = {
        "overdue": _("Overdue"),
        "due": _("Due in the next 90 days"),
        "completed": _("Completed"),
        "all": _("All"),
    }
    for tab, state in zip(st.tabs(list(labels.values())), labels, strict=True):
        with tab:
            shown = items if state == "all" else items[items["state"] == state]
            if shown.empty:
                st.caption(_("None in this selection."))
            else:
                table(plan_tables.items(shown))

st.header(_("Supported recommendations with no plan item"))
gap_themes = cached.query("plan_gaps_by_theme", f)
gap_list = cached.query("plan_gaps", f)
st.write(
    _(
        "{n} supported recommendations of this selection have no plan item.",
        n=len(gap_list),
    )
)
if not gap_list.empty:
    table(plan_tables.gaps_by_theme(gap_themes))
    with st.expander(_("The recommendations")):
        st.dataframe(plan_tables.gaps(gap_list), hide_index=True, width="stretch")

st.header(_("The UPR calendar"))
dates = cached.query("plan_calendar", f, today)
reviewed = display_name(cached.query("reviewed_state", f))
if dates:
    show_chart(plan_tables.timeline(dates, today), key="calendar")
    table(plan_tables.calendar(dates))
    sur = dates[0].sur
    st.download_button(
        _("Calendar file (.ics)"),
        lambda: calendar.to_ics(dates, _("UPR calendar: {state}", state=reviewed)),
        file_name=f"upr-calendar-{sur}.ics",
        mime="text/calendar",
        key="ics",
        on_click="ignore",
        icon=":material/calendar_month:",
    )
    st.caption(
        _(
            "Calendar programs (Outlook, Google Calendar, Apple Calendar, Thunderbird) import "
            "this file; to keep a calendar up to date, an administrator can publish the file "
            "that `python -m upr_data calendar` writes at a web address to subscribe to."
        )
    )
else:
    st.caption(_("No review date of {state} is recorded here.", state=reviewed))
