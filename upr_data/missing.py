"""Which UPR cycles a count leaves out, said on every page, brief and slide that counts.

The store holds the texts of some cycles only (Cambodia: cycles 1 and 2); the others are known by
their official totals, or not at all. A figure that does not say so looks complete. `missing_cycles`
reads the store's coverage (`queries.coverage`); `missing_note` turns it into one sentence, e.g.
"Not counted here: cycle 3 (2019, 198 recommendations) and cycle 4 (2024), whose recommendations
are not loaded. These figures cover cycles 1 and 2 only."
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import queries
from .i18n import _, ngettext


@dataclass(frozen=True)
class MissingCycle:
    cycle: int
    year: int | None  # of the review
    official: int | None  # official number of recommendations, when known


def _known(value: object) -> bool:
    return value is not None and not pd.isna(value)


def missing_cycles(con, sur: str | None = None) -> tuple[list[MissingCycle], list[int]]:
    """(the known cycles whose recommendations are not loaded, the loaded cycles), of `sur`
    (the store's State under review when None and it holds one)."""
    return from_coverage(queries.coverage(con, sur or None))


def from_coverage(coverage: pd.DataFrame) -> tuple[list[MissingCycle], list[int]]:
    """`missing_cycles` from a `queries.coverage` frame (already read, e.g. cached)."""
    missing, loaded = [], []
    for r in coverage.itertuples(index=False):
        if int(r.loaded) > 0:
            loaded.append(int(r.cycle))
            continue
        year = pd.Timestamp(r.review_date).year if _known(r.review_date) else None
        official = int(r.official_recommendations) if _known(r.official_recommendations) else None
        missing.append(MissingCycle(int(r.cycle), year, official))
    return missing, sorted(set(loaded))


def cycle_phrase(m: MissingCycle) -> str:
    """One missing cycle in words: "cycle 3 (2019, 198 recommendations)"."""
    if m.year and m.official is not None:
        return ngettext(
            "cycle {cycle} ({year}, {n} recommendation)",
            "cycle {cycle} ({year}, {n} recommendations)",
            m.official, cycle=m.cycle, year=m.year,
        )  # fmt: skip
    if m.year:
        return _("cycle {cycle} ({year})", cycle=m.cycle, year=m.year)
    if m.official is not None:
        return ngettext(
            "cycle {cycle} ({n} recommendation)",
            "cycle {cycle} ({n} recommendations)",
            m.official,
            cycle=m.cycle,
        )
    return _("cycle {cycle}", cycle=m.cycle)


def _and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("{first} and {last}", first=", ".join(items[:-1]), last=items[-1])


def missing_note(missing: list[MissingCycle], loaded: list[int]) -> str:
    """One sentence naming the cycles a count leaves out ("" when none is missing)."""
    if not missing:
        return ""
    named = _and([cycle_phrase(m) for m in missing])
    covered = _and([str(c) for c in loaded])
    if not loaded:
        return ngettext(
            "Not counted here: {cycles}, whose recommendations are not loaded.",
            "Not counted here: {cycles}, whose recommendations are not loaded.",
            len(missing), cycles=named,
        )  # fmt: skip
    return ngettext(
        "Not counted here: {cycles}, whose recommendations are not loaded. These figures "
        "cover cycle {covered} only.",
        "Not counted here: {cycles}, whose recommendations are not loaded. These figures "
        "cover cycles {covered} only.",
        len(loaded), cycles=named, covered=covered,
    )  # fmt: skip


def short_note(missing: list[MissingCycle]) -> str:
    """The same in a projector's few words: "Not counted here (not loaded): cycle 3 (2019, 198
    recommendations) and cycle 4 (2024)." ("" when none is missing)."""
    if not missing:
        return ""
    return _(
        "Not counted here (not loaded): {cycles}.", cycles=_and([cycle_phrase(m) for m in missing])
    )


def note(con, sur: str | None = None) -> str:
    """`missing_note` of the store behind `con` (for slides, briefs, exports)."""
    return missing_note(*missing_cycles(con, sur))
