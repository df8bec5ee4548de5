"""Presenter mode: the current selection as a sequence of slides (pure data; the page draws them).

Slide 1 is the overview of the selection; then one slide per theme (largest first) or per
stakeholder role, as the presenter chooses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import queries, schema, stakeholders, taxonomy
from .countries import display_name
from .filters import Filters
from .i18n import _

BY = ("theme", "role")
MAX_THEME_SLIDES = 12


@dataclass(frozen=True)
class Slide:
    title: str
    subtitle: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    responses: pd.DataFrame | None = None  # response, n: for a bar of responses


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def _figures(summary: dict) -> list[tuple[str, str]]:
    n = summary["recommendations"]
    return [
        (_("Recommendations"), str(n)),
        (_("Supported"), f"{summary['supported']} ({_percent(summary['supported'], n)})"),
        (_("Noted"), str(summary["noted"])),
        (
            _("With evidence"),
            f"{summary['with_evidence']} ({_percent(summary['with_evidence'], n)})",
        ),
        (_("Assessed"), str(summary["assessed"])),
    ]


def _responses(summary: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [{"response": r, "n": summary[r]} for r in schema.RESPONSES if summary.get(r)]
    )


def build(con, f: Filters, by: str = "theme") -> list[Slide]:
    if by not in BY:
        raise ValueError(f"slides by {by!r}: use one of {BY}")
    summary = queries.summary(con, f)
    slides = [
        Slide(
            _("UPR recommendations to {state}", state=display_name(queries.reviewed_state(con, f))),
            f.describe(summary["recommendations"]),
            _figures(summary),
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
                        (_("Evidence recorded"), str(int(row["evidence"]))),
                        (_("Assessments"), str(int(row["assessments"]))),
                        (
                            _("Supported recommendations covered"),
                            str(int(row["supported_covered"])),
                        ),
                    ],
                    [_(item) for item in stakeholders.EXPECTED[role]],
                )
            )
    return slides
