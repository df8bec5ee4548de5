"""The plan's query results as readers see them: translated headers and labels, each
institution's name in the reader's language where it has one; and the calendar's timeline."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from .. import chart_cache, charts, i18n, schema, taxonomy
from ..i18n import N_, _
from .calendar import KeyDate

STATE_LABELS = {
    "overdue": N_("Overdue"),
    "due": N_("Due in the next 90 days"),
    "later": N_("Due later"),
    "no_due_date": N_("No due date"),
    "completed": N_("Completed"),
}
KIND_LABELS = {
    "review": N_("Review"),
    "adoption": N_("Outcome adopted"),
    "midterm": N_("Mid-term report"),
    "national_report": N_("National report due"),
    "next_review": N_("Next review"),
    "plan_item": N_("Plan item due"),
}


def _name(frame: pd.DataFrame, column: str) -> pd.Series:
    """`<column>_km` in Khmer, `<column>_en` otherwise (each falls back on the other)."""
    first, second = (f"{column}_km", f"{column}_en")
    if not i18n.is_khmer():
        first, second = second, first
    return frame[first].fillna(frame[second]).fillna("")


def _when(row) -> str:
    if pd.isna(row.due_date):
        return row.timeline or ""
    due = pd.Timestamp(row.due_date).date()
    if row.timeline and row.timeline.strip() != due.isoformat():
        return _("{date} ({timeline})", date=due.isoformat(), timeline=row.timeline)
    return due.isoformat()


def items(frame: pd.DataFrame) -> pd.DataFrame:
    """Plan items: recommendations, who, what, measured how, by when, where it stands."""
    if frame.empty:
        return pd.DataFrame(
            columns=[_("Recommendations"), _("Responsible"), _("Planned action"), _("Due")]
        )
    status = frame["status"].map(lambda s: _(schema.PLAN_STATUSES.get(s, s)) if s else "")
    reported = [
        _("{status} ({date}, {who})", status=s, date=pd.Timestamp(d).date().isoformat(), who=w)
        if s
        else ""
        for s, d, w in zip(status, frame["status_date"], frame["status_by"], strict=True)
    ]
    return pd.DataFrame(
        {
            _("Recommendations"): frame["recommendations"],
            _("Responsible"): _name(frame, "responsible"),
            _("Supporting"): _name(frame, "supporting"),
            _("Planned action"): frame["action"],
            _("Indicator"): frame["indicator"].fillna(""),
            _("Baseline"): frame["baseline"].fillna(""),
            _("Target"): frame["target"].fillna(""),
            _("Due"): [_when(r) for r in frame.itertuples(index=False)],
            _("Where it stands"): frame["state"].map(lambda s: _(STATE_LABELS[s])),
            _("Latest report"): reported,
            _("Evidence"): frame["evidence_id"].fillna(""),
            _("Assessment"): frame["assessment_id"].fillna(""),
            _("Source"): frame["source_document"].fillna(""),
            _("Item"): frame["item_id"],
        }
    )


def institutions(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Institution"): _name(frame, "name"),
            _("Kind"): frame["kind"].map(lambda k: _(schema.INSTITUTION_KINDS.get(k, k))),
            _("Plan items"): frame["items"].astype(int),
            _("Overdue"): frame["overdue"].astype(int),
            _("Due in the next 90 days"): frame["due"].astype(int),
            _("Completed"): frame["completed"].astype(int),
            _("Recommendations covered"): frame["recommendations"].astype(int),
        }
    )


def gaps_by_theme(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Theme"): frame["theme"].map(
                lambda t: _(taxonomy.THEMES[t]) if t in taxonomy.THEMES else _("No theme")
            ),
            _("Supported, no plan item"): frame["no_plan"].astype(int),
            _("Supported"): frame["supported"].astype(int),
        }
    )


def gaps(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Recommendation"): frame["rec_id"],
            _("Cycle"): frame["cycle"].astype(int),
            _("Text"): frame["text"],
        }
    )


def _month_or_day(k: KeyDate) -> str:
    return i18n.month(k.when) if k.precision == "month" else i18n.day(k.when)


def calendar(dates: list[KeyDate]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("When"): [_month_or_day(k) for k in dates],
            _("What"): [k.title for k in dates],
            _("Kind"): [_(KIND_LABELS[k.kind]) for k in dates],
            _("Date"): [_("estimated") if k.estimated else _("recorded") for k in dates],
            _("Notes"): [k.detail.replace("\n", "; ") for k in dates],
        }
    )


@chart_cache.memo
def timeline(dates: list[KeyDate], today: date) -> alt.Chart:
    """The key dates on one time axis, a row per kind; estimated dates hollow, today marked."""
    data = pd.DataFrame(
        {
            "when": [pd.Timestamp(k.when) for k in dates],
            "kind": [_(KIND_LABELS[k.kind]) for k in dates],
            "title": [k.title for k in dates],
            "shown": [_month_or_day(k) for k in dates],
            "basis": [_("estimated") if k.estimated else _("recorded") for k in dates],
        }
    )
    order = [_(KIND_LABELS[k]) for k in KIND_LABELS]
    points = (
        alt.Chart(data)
        .mark_point(size=180, strokeWidth=2.5)
        .encode(
            x=alt.X("when:T", title=None),
            y=alt.Y("kind:N", sort=order, title=None),
            fill=alt.condition(
                alt.datum.basis == _("recorded"), alt.value("#1f4e79"), alt.value("white")
            ),
            color=alt.value("#1f4e79"),
            tooltip=[
                alt.Tooltip("shown:N", title=_("When")),
                alt.Tooltip("title:N", title=_("What")),
                alt.Tooltip("basis:N", title=_("Date")),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"when": [pd.Timestamp(today)], "label": [_("today")]}))
        .mark_rule(color="#b00020", strokeDash=[4, 3])
        .encode(x="when:T")
    )
    chart = (points + rule).properties(
        title=charts.chart_title(
            _("The UPR calendar"),
            _("Filled: a recorded date; hollow: estimated from the UPR's rhythm"),
        ),
        height=alt.Step(44),
        width="container",
    )
    chart = chart.configure(font=charts.KHMER_FONT)
    return chart.configure_axis(labelFontSize=14, labelLimit=220)
