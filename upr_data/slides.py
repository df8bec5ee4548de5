"""Presenter mode: the current selection as a sequence of slides (pure data; the page draws them).

Slide 1 is the overview of the selection; then one slide per theme of the selection (every
one, largest first) or per stakeholder role, as the presenter chooses. The overview and each
theme's slide list the newest evidence items bearing on them. Each slide carries the data of its
own chart (`chart`, `chart_data`: the page draws it with `upr_data.charts.slide_chart`): the
responses by cycle of the selection or of the theme, or the statuses a role has assessed. Every
slide names the cycles of the State under review that are known by their totals only
(`missing`), since its figures do not count them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from . import queries, schema, stakeholders, taxonomy
from .countries import display_name
from .filters import Filters
from .i18n import _, is_khmer, number
from .missing import from_coverage, short_note
from .tables import format_date

BY = ("theme", "role")
NEWEST = 2  # newest evidence items on the first slide (with the plan line, fits 1280x720)
NEWEST_PER_THEME = 2  # and on each theme's slide
SUMMARY_CHARS = 160  # a summary longer than this is cut at a word, with "…", to fit a slide


@dataclass(frozen=True)
class Slide:
    title: str
    subtitle: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    # "cycles" (cycle, cycle_label, response, n) or "statuses" (status, n: one role's latest)
    chart: str = ""
    chart_data: pd.DataFrame | None = None
    missing: str = ""  # the cycles not loaded, as a sentence ("" when every one is)
    subject: str = ""  # the theme or role code ("" on the overview)


def _percent(part: int, whole: int) -> str:
    return f"{number(round(100 * part / whole))} %" if whole else "–"


def _figures(summary: dict) -> list[tuple[str, str]]:
    """The headline figures, written as the interface language writes numbers (Babel)."""
    n = summary["recommendations"]
    supported, evidence = summary["supported"], summary["with_evidence"]
    return [
        (_("Recommendations"), number(n)),
        (_("Supported"), f"{number(supported)} ({_percent(supported, n)})"),
        (_("Noted"), number(summary["noted"])),
        (_("With evidence"), f"{number(evidence)} ({_percent(evidence, n)})"),
        (_("Assessed"), number(summary["assessed"])),
    ]


def missing_note(coverage: pd.DataFrame) -> str:
    """The cycles of a coverage table (queries.coverage) that the figures do not count, as one
    short sentence; "" when every known cycle is loaded (or no official totals are known)."""
    return short_note(from_coverage(coverage)[0])


def responses_by_cycle(con, f: Filters, sur: str) -> pd.DataFrame:
    """theme, cycle, cycle_label, response, n: each theme's recommendations of the selection
    by cycle and response (one query per cycle), and the selection's own rows (theme "")."""
    coverage = queries.coverage(con, sur)
    years = {
        int(r.cycle): pd.Timestamp(r.review_date).year
        for r in coverage.itertuples(index=False)
        if not pd.isna(r.review_date)
    }
    cycles = f.cycles or tuple(queries.cycles_present(con, f.sur or None))
    parts = []
    for cycle in cycles:
        part = f.with_(cycles=(cycle,))
        label = (
            _("Cycle {cycle} ({year})", cycle=cycle, year=years[cycle])
            if cycle in years
            else _("Cycle {cycle}", cycle=cycle)
        )
        summary = queries.summary(con, part)
        rows = [
            {"theme": "", "response": r, "n": summary[r]}
            for r in schema.RESPONSES
            if summary.get(r)
        ]
        themes = queries.by_theme_response(con, part)[["theme", "response", "n"]]
        frame = pd.concat([pd.DataFrame(rows, columns=["theme", "response", "n"]), themes])
        parts.append(frame.assign(cycle=cycle, cycle_label=label))
    if not parts:
        return pd.DataFrame(columns=["theme", "cycle", "cycle_label", "response", "n"])
    out = pd.concat(parts, ignore_index=True)
    return out[out["n"] > 0].astype({"n": "int64", "cycle": "int64"}).reset_index(drop=True)


def _for_theme(by_cycle: pd.DataFrame, theme: str) -> pd.DataFrame:
    return by_cycle[by_cycle["theme"] == theme].drop(columns="theme").reset_index(drop=True)


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def newest_evidence(con, f: Filters, limit: int) -> list[str]:
    """The `limit` newest evidence items bearing on the selection, newest first, one line each:
    date, direction, summary (cut to fit) and publisher."""
    items = queries.evidence_timeline(con, f, limit=limit)
    lines = []
    for r in items.iloc[::-1].itertuples(index=False):  # the query gives them oldest first
        values = dict(
            date=format_date(r.date, r.date_precision or "day"),
            direction=_(schema.DIRECTIONS.get(r.direction, r.direction)),
            summary=_short(r.summary),
        )
        publisher = r.publisher if isinstance(r.publisher, str) and r.publisher.strip() else None
        if publisher:
            lines.append(
                _(
                    "Evidence, {date} · {direction}: {summary} ({publisher})",
                    publisher=publisher,
                    **values,
                )
            )
        else:
            lines.append(_("Evidence, {date} · {direction}: {summary}", **values))
    return lines


PLAN_ITEMS_PER_SLIDE = 2  # the plan items a theme's slide names (overdue first, then soonest)


def plan_bullets(con, f: Filters, today: date, items: int = PLAN_ITEMS_PER_SLIDE) -> list[str]:
    """What the plan says of the selection: how many items, how many overdue, how many supported
    recommendations have none, then the first `items` items (who, what, by when). On a store
    without a plan: one line saying so."""
    from .plan import queries as plan_queries
    from .plan.tables import STATE_LABELS

    if plan_queries.count(con) == 0:
        return [
            _(
                "No implementation plan is loaded: who is responsible, and by when, is not "
                "known here."
            )
        ]
    found = plan_queries.items(con, f, today)
    gaps = len(plan_queries.gaps(con, f))
    overdue = int((found["state"] == "overdue").sum())
    lines = [
        _(
            "Plan: {n} items, {overdue} overdue; {gaps} supported recommendations have none",
            n=number(len(found)),
            overdue=number(overdue),
            gaps=number(gaps),
        )
    ]
    ordered = found.assign(first=found["state"] != "overdue").sort_values(
        ["first", "due_date"], kind="stable"
    )
    for row in ordered.head(items).itertuples(index=False):
        who = (row.responsible_km if is_khmer() else row.responsible_en) or ""
        due = "" if pd.isna(row.due_date) else pd.Timestamp(row.due_date).date().isoformat()
        lines.append(
            _(
                "Plan: {who} · {action} · due {due} ({state})",
                who=who,
                action=_short(row.action),
                due=due or row.timeline or "—",
                state=_(STATE_LABELS[row.state]).lower(),
            )
        )
    return lines


def build(con, f: Filters, by: str = "theme", today: date | None = None) -> list[Slide]:
    """The deck of the selection; `today` decides which plan items are overdue."""
    if by not in BY:
        raise ValueError(f"slides by {by!r}: use one of {BY}")
    today = today or date.today()
    summary = queries.summary(con, f)
    sur = queries.reviewed_state(con, f)
    missing = missing_note(queries.coverage(con, sur))
    by_cycle = responses_by_cycle(con, f, sur) if summary["recommendations"] else None
    slides = [
        Slide(
            _("UPR recommendations to {state}", state=display_name(sur)),
            f.describe(summary["recommendations"]),
            _figures(summary),
            (newest_evidence(con, f, NEWEST) + plan_bullets(con, f, today, 0))
            if summary["recommendations"]
            else [],
            chart="cycles" if by_cycle is not None else "",
            chart_data=_for_theme(by_cycle, "") if by_cycle is not None else None,
            missing=missing,
        )
    ]
    if summary["recommendations"] == 0:
        return slides
    if by == "theme":
        from .plan.queries import count as plan_count

        planned = plan_count(con) > 0  # without a plan, the first slide says so once
        themes = queries.by_theme_response(con, f)
        order = themes.groupby("theme")["n"].sum()
        # Largest first, ties in the code's order: every theme of the selection gets its slide.
        order = order[order > 0].sort_index().sort_values(ascending=False, kind="stable")
        for code in order.index:
            part = f.with_(themes=(code,))
            theme_summary = queries.summary(con, part)
            slides.append(
                Slide(
                    _(taxonomy.THEMES.get(code, code)),
                    part.describe(theme_summary["recommendations"]),
                    _figures(theme_summary),
                    newest_evidence(con, part, NEWEST_PER_THEME)
                    + (plan_bullets(con, part, today) if planned else []),
                    chart="cycles",
                    chart_data=_for_theme(by_cycle, code),
                    missing=missing,
                    subject=code,
                )
            )
    else:
        activity = queries.role_activity(con, f).set_index("role")
        statuses = queries.by_role_status(con, f)
        for role, label in schema.ROLES.items():
            row = activity.loc[role]
            slides.append(
                Slide(
                    _(label),
                    _("What this role is expected to do, and what it has recorded"),
                    [
                        (_("Evidence recorded"), number(int(row["evidence"]))),
                        (_("Assessments"), number(int(row["assessments"]))),
                        (
                            _("Supported recommendations covered"),
                            number(int(row["supported_covered"])),
                        ),
                    ],
                    [_(item) for item in stakeholders.EXPECTED[role]],
                    chart="statuses",
                    chart_data=statuses[statuses["role"] == role]
                    .drop(columns="role")
                    .reset_index(drop=True),
                    missing=missing,
                    subject=role,
                )
            )
    return slides
