"""Rows of a file -> paragraphs: the grouping and checks the UHRI and UPR Info readers share.

Rows with the same (cycle, paragraph) are one paragraph. They merge (every State credited, tags
united) when they give the same text and position; a different text or position under the same
number is a duplicate paragraph number, reported on the later row. UPR Info rows without a number
are grouped by their text and numbered 0.1, 0.2, ... in the order the file first lists each text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import countries
from ..i18n import _
from ..problems import Problem
from .model import OfficialTag, ParsedRecommendation, normalise_text


@dataclass
class RawRow:
    row: int
    cycle: int
    paragraph: str | None  # None: the file gives no number (UPR Info)
    text: str
    states: list[str]
    response: str
    document: str | None
    tags: list[OfficialTag] = field(default_factory=list)
    session: int | None = None


Sources = Callable[[RawRow], tuple[str, str | None]]  # -> (text_source, response_source)


def assemble(
    file: str,
    rows: list[RawRow],
    columns: dict[str, str],
    sources: Sources,
    note_merges: bool,
) -> tuple[list[ParsedRecommendation], list[Problem], list[str]]:
    problems: list[Problem] = []
    notes: list[str] = []
    groups: dict[tuple, list[RawRow]] = {}
    for raw in rows:
        key = (raw.cycle, raw.paragraph or "text:" + normalise_text(raw.text).lower())
        groups.setdefault(key, []).append(raw)

    unnumbered: dict[int, int] = {}
    recs: list[ParsedRecommendation] = []
    for (cycle, _key), group in groups.items():
        first = group[0]
        kept = [first]
        for raw in group[1:]:
            where = (
                _("paragraph {paragraph}", paragraph=first.paragraph)
                if first.paragraph
                else _("this text")
            )
            if normalise_text(raw.text) != normalise_text(first.text):
                problems.append(
                    Problem(
                        file,
                        raw.row,
                        columns.get("text"),
                        _(
                            "duplicate paragraph number: {where} (cycle {cycle}) is already on "
                            "row {row} with a different text",
                            where=where,
                            cycle=cycle,
                            row=first.row,
                        ),
                    )
                )
            elif raw.response != first.response:
                problems.append(
                    Problem(
                        file,
                        raw.row,
                        columns.get("position"),
                        _(
                            "{where} (cycle {cycle}) is on row {row} as {first} and here as {here}",
                            where=where,
                            cycle=cycle,
                            row=first.row,
                            first=first.response,
                            here=raw.response,
                        ),
                    )
                )
            else:
                kept.append(raw)
        if note_merges and len(kept) > 1:
            notes.append(
                _(
                    "{file}: paragraph {paragraph} (cycle {cycle}) is on rows {rows} with the "
                    "same text and position: one paragraph, crediting the States of every row",
                    file=file,
                    paragraph=first.paragraph,
                    cycle=cycle,
                    rows=", ".join(str(r.row) for r in kept),
                )
            )
        paragraph = first.paragraph
        if paragraph is None:
            unnumbered[cycle] = unnumbered.get(cycle, 0) + 1
            paragraph = f"0.{unnumbered[cycle]}"
        states = list(dict.fromkeys(s for r in kept for s in r.states))
        tags = list(dict.fromkeys(t for r in kept for t in r.tags))
        text_source, response_source = sources(first)
        recs.append(
            ParsedRecommendation(
                cycle=cycle,
                paragraph=paragraph,
                text=first.text,
                states=tuple(states),
                response=first.response,
                document=first.document,
                text_source=text_source,
                response_source=response_source,
                tags=tuple(tags),
                row=first.row,
                numbered=first.paragraph is not None,
                columns=dict(columns),
                session=next((r.session for r in kept if r.session is not None), None),
                rows=tuple(r.row for r in kept),
                state_rows=tuple((name, r.row) for r in kept for name in r.states),
            )
        )
    if unnumbered:
        counts = ", ".join(
            _("cycle {cycle}: {n}", cycle=c, n=n) for c, n in sorted(unnumbered.items())
        )
        notes.append(
            _(
                "{file}: no paragraph numbers ({counts} texts): each row is matched to a stored "
                "paragraph of the same cycle and recommending State by its text; rows that match "
                "none become recommendations with provisional ids until an official numbered file "
                "arrives",
                file=file,
                counts=counts,
            )
        )
    return recs, problems, notes


def pick_state(
    file: str, column: str, found: Counter, names: dict[str, str], state: str | None
) -> tuple[str | None, list[Problem]]:
    """The State under review to read: `state` if given, else the only one the file holds."""
    if state is not None:
        try:
            return countries.to_iso3(state.strip()), []  # "KHM", "khm" or "Cambodia"
        except countries.UnknownState:
            return None, [
                Problem(
                    file, None, None, _("--state {state} is not a known State", state=repr(state))
                )
            ]
    if len(found) > 1:
        listed = ", ".join(
            _("{name} ({code}): {n} rows", name=names[c], code=c, n=n)
            for c, n in found.most_common()
        )
        return None, [
            Problem(
                file,
                None,
                column,
                _(
                    "the file holds UPR recommendations to {n} States under review; "
                    "choose one with --state: {listed}",
                    n=len(found),
                    listed=listed,
                ),
            )
        ]
    if not found:
        return None, [Problem(file, None, column, _("no UPR recommendation in the file"))]
    return next(iter(found)), []
