"""The UPR calendar of a State under review: the review, the adoption of its outcome, the
mid-term report, the next national report and review, and the plan items' due dates; as rows for
the timeline and as an iCalendar file that calendar programs import or subscribe to.

Only the review dates are stored facts (`cycles.review_date`, from the UN documents). The rest
follows the UPR's rhythm and is marked "estimated", to the month:
- the Human Rights Council adopts the outcome at a regular session (March, June, September);
  the Working Group's report is numbered for it, A/HRC/<session>/..., so session n meets in
  year 2006 + (n - 1) // 3, in March, June or September as n % 3 is 1, 2 or 0 (session 26:
  June 2014). Without a report symbol: the first session at least three months after the review;
- the mid-term report is due about two and a half years (30 months) after adoption;
- the next review comes about four and a half years (54 months) after the last one, and the
  national report about three months before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from .. import i18n
from ..i18n import _

SESSION_MONTHS = {1: 3, 2: 6, 0: 9}  # n % 3 -> month of the Council's regular session n
MIDTERM_MONTHS = 30
CYCLE_MONTHS = 54
NATIONAL_REPORT_MONTHS_BEFORE = 3
KINDS = ("review", "adoption", "midterm", "national_report", "next_review", "plan_item")


@dataclass(frozen=True)
class KeyDate:
    sur: str
    kind: str  # KINDS
    when: date  # the day, or the first day of the month when `precision` is "month"
    precision: str  # "day" | "month"
    estimated: bool
    title: str
    cycle: int | None = None
    detail: str = ""
    uid: str = ""

    @property
    def last_day(self) -> date:
        if self.precision == "day":
            return self.when
        return _add_months(self.when, 1) - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def session_month(symbol: str | None) -> date | None:
    """The month of the Council session a document symbol A/HRC/<n>/... is numbered for."""
    match = re.match(r"A/HRC/(\d+)/", symbol or "")
    if not match:
        return None
    n = int(match.group(1))
    return date(2006 + (n - 1) // 3, SESSION_MONTHS[n % 3], 1)


def adoption_month(review: date, symbol: str | None) -> date:
    found = session_month(symbol)
    if found is not None and found > review:
        return found
    earliest = _add_months(date(review.year, review.month, 1), 3)
    while earliest.month not in SESSION_MONTHS.values():
        earliest = _add_months(earliest, 1)
    return earliest


def key_dates(cycles: pd.DataFrame, sur: str) -> list[KeyDate]:
    """The UPR dates of one State under review, from its `cycles` rows."""
    rows = cycles[(cycles["sur"] == sur) & cycles["review_date"].notna()].sort_values("cycle")
    found: list[KeyDate] = []
    for row in rows.itertuples(index=False):
        review = pd.Timestamp(row.review_date).date()
        cycle = int(row.cycle)
        symbol = row.wg_report if isinstance(row.wg_report, str) else None
        found.append(
            KeyDate(
                sur,
                "review",
                review,
                "day",
                False,
                _("Review of cycle {cycle} in the UPR Working Group", cycle=cycle),
                cycle,
                _("Working Group session {n}", n=int(row.wg_session))
                if pd.notna(row.wg_session)
                else "",
            )
        )
        adopted = adoption_month(review, symbol)
        basis = (
            _(
                "the Working Group's report, {symbol}, is numbered for the Council's session "
                "{n}, held in {month}",
                symbol=symbol,
                n=symbol.split("/")[2] if symbol else "",
                month=i18n.month(adopted),
            )
            if session_month(symbol) == adopted
            else _("the first Council session three months or more after the review")
        )
        found.append(
            KeyDate(
                sur,
                "adoption",
                adopted,
                "month",
                True,
                _("Outcome of cycle {cycle} adopted by the Human Rights Council", cycle=cycle),
                cycle,
                _("Estimated: {basis}.", basis=basis),
            )
        )
        found.append(
            KeyDate(
                sur,
                "midterm",
                _add_months(adopted, MIDTERM_MONTHS),
                "month",
                True,
                _("Mid-term report on cycle {cycle} (voluntary)", cycle=cycle),
                cycle,
                _("Estimated: about two and a half years after the outcome's adoption."),
            )
        )
    if found:
        last = max((k for k in found if k.kind == "review"), key=lambda k: k.when)
        nxt = _add_months(date(last.when.year, last.when.month, 1), CYCLE_MONTHS)
        cycle = (last.cycle or 0) + 1
        found.append(
            KeyDate(
                sur,
                "national_report",
                _add_months(nxt, -NATIONAL_REPORT_MONTHS_BEFORE),
                "month",
                True,
                _("National report for cycle {cycle} due", cycle=cycle),
                cycle,
                _("Estimated: about three months before the review."),
            )
        )
        found.append(
            KeyDate(
                sur,
                "next_review",
                nxt,
                "month",
                True,
                _("Review of cycle {cycle} in the UPR Working Group", cycle=cycle),
                cycle,
                _("Estimated: about four and a half years after the last review."),
            )
        )
    return [
        KeyDate(**{**k.__dict__, "uid": f"upr-{k.kind}-{k.sur}-{k.cycle}@upr-tracker"})
        for k in found
    ]


def plan_dates(items: pd.DataFrame, institution_column: str = "responsible_en") -> list[KeyDate]:
    """The due date of each plan item (of `plan.queries.items`) that has one and is not
    completed."""
    found = []
    open_items = items[items["due_date"].notna() & (items["state"] != "completed")]
    for row in open_items.itertuples(index=False):
        who = getattr(row, institution_column) or ""
        lines = [
            _("Recommendations: {ids}", ids=row.recommendations),
            _("Responsible: {who}", who=who),
        ]
        if row.indicator:
            lines.append(_("Indicator: {text}", text=row.indicator))
        if row.timeline:
            lines.append(_("Timeline in the plan: {text}", text=row.timeline))
        found.append(
            KeyDate(
                row.sur,
                "plan_item",
                pd.Timestamp(row.due_date).date(),
                "day",
                False,
                _("Due: {action}", action=_short(row.action)),
                None,
                "\n".join(lines),
                f"plan-{row.item_id}@upr-tracker",
            )
        )
    return found


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def upcoming(dates: list[KeyDate], today: date, days: int) -> list[KeyDate]:
    """The dates whose day (or month) falls within the next `days` days, today included."""
    end = today + timedelta(days=days)
    return sorted((k for k in dates if k.last_day >= today and k.when <= end), key=lambda k: k.when)


def to_ics(dates: list[KeyDate], name: str, stamp: datetime | None = None) -> bytes:
    """An iCalendar (RFC 5545) file of all-day events; an estimated month spans the month. The
    UIDs stay the same from one download to the next, so a subscribed calendar updates its
    events instead of adding copies."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//UPR Implementation Tracker//upr-tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    for k in sorted(dates, key=lambda k: (k.when, k.uid)):
        event = Event()
        event.add("uid", k.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", k.when)
        event.add("dtend", k.last_day + timedelta(days=1))
        event.add("summary", f"{k.title} ({_('estimated')})" if k.estimated else k.title)
        if k.detail:
            event.add("description", k.detail)
        event.add("categories", [k.kind])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
