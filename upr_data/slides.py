"""Presenter mode: the current selection as a sequence of slides (pure data; the page draws them).

Slide 1 is the overview of the selection; then one slide per theme (largest first) or per
stakeholder role, as the presenter chooses. The overview and each theme's slide list the newest
evidence items bearing on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import queries, schema, stakeholders, taxonomy
from .countries import display_name
from .filters import Filters
from .i18n import _, number
from .tables import format_date

BY = ("theme", "role")
MAX_THEME_SLIDES = 12
NEWEST = 3  # newest evidence items on the first slide
NEWEST_PER_THEME = 2  # and on each theme's slide
SUMMARY_CHARS = 160  # a summary longer than this is cut at a word, with "…", to fit a slide


@dataclass(frozen=True)
class Slide:
    title: str
    subtitle: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    responses: pd.DataFrame | None = None  # response, n: for a bar of responses


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


def _responses(summary: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [{"response": r, "n": summary[r]} for r in schema.RESPONSES if summary.get(r)]
    )


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
            lines.append(_("Evidence, {date} · {direction}: {summary} ({publisher})",
                           publisher=publisher, **values))  # fmt: skip
        else:
            lines.append(_("Evidence, {date} · {direction}: {summary}", **values))
    return lines


def build(con, f: Filters, by: str = "theme") -> list[Slide]:
    if by not in BY:
        raise ValueError(f"slides by {by!r}: use one of {BY}")
    summary = queries.summary(con, f)
    slides = [
        Slide(
            _("UPR recommendations to {state}", state=display_name(queries.reviewed_state(con, f))),
            f.describe(summary["recommendations"]),
            _figures(summary),
            newest_evidence(con, f, NEWEST) if summary["recommendations"] else [],
            responses=_responses(summary),
        )
    ]
    if summary["recommendations"] == 0:
        return slides
    if by == "theme":
        themes = queries.by_theme_response(con, f)
        order = themes.groupby("theme")["n"].sum().sort_values(ascending=False)
        for code in list(order.index)[:MAX_THEME_SLIDES]:
            part = f.with_(themes=(code,))
            theme_summary = queries.summary(con, part)
            slides.append(
                Slide(
                    _(taxonomy.THEMES.get(code, code)),
                    part.describe(theme_summary["recommendations"]),
                    _figures(theme_summary),
                    newest_evidence(con, part, NEWEST_PER_THEME),
                    responses=_responses(theme_summary),
                )
            )
    else:
        activity = queries.role_activity(con, f).set_index("role")
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
                )
            )
    return slides
