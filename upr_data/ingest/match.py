"""Which stored recommendation a text belongs to, when the file gives no paragraph number.

The UPR Info database lists one row per recommendation and recommending State, without the UN's
paragraph numbers. A row is matched among the stored recommendations of the same State under
review, cycle and recommending State:
1. by its normalised text (quotes, dashes, spacing, case, closing punctuation and the State
   brackets do not count), against the whole paragraph and against each recommendation of a
   clustered paragraph ("(a) ... (Pakistan); (b) ... (Egypt)");
2. else by similarity (difflib's ratio) of at least `MATCH_RATIO`. Two candidates within
   `TIE_MARGIN` of the best are a tie: the row is ambiguous and listed, never guessed.
Several rows may fall on one clustered paragraph. The same index finds the provisional
recommendations an official numbered file reconciles onto their paragraphs.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from ..classify import split_recommendations
from .model import normalise_text

MATCH_RATIO = 0.85
TIE_MARGIN = 0.02
PROVISIONAL = "UNNUMBERED"  # the paragraph of a recommendation whose number is not known


def provisional_paragraph(n: int) -> str:
    return f"{PROVISIONAL}.{n}"


def is_provisional(paragraph: str) -> bool:
    return paragraph.startswith(PROVISIONAL + ".")


def provisional_number(paragraph: str) -> int | None:
    if not is_provisional(paragraph):
        return None
    tail = paragraph.split(".", 1)[1]
    return int(tail) if tail.isdigit() else None


def text_key(text: str) -> str:
    """The text for comparison: without State brackets, "(a)" markers, case or punctuation noise."""
    return normalise_text(" ".join(split_recommendations(text)) or text).lower()


def _keys(text: str) -> tuple[str, ...]:
    parts = [normalise_text(p).lower() for p in split_recommendations(text)]
    return tuple(dict.fromkeys([text_key(text), *parts]))


@dataclass(frozen=True)
class Candidate:
    rec_id: str
    score: float  # 1.0 for an exact match of the normalised text


@dataclass(frozen=True)
class Match:
    rec_id: str | None  # None: no match, or a tie
    score: float
    ties: tuple[Candidate, ...] = ()  # the candidates of an ambiguous match

    @property
    def ambiguous(self) -> bool:
        return bool(self.ties)


class TextIndex:
    """Stored recommendations by (cycle, recommending State), with their comparison keys."""

    def __init__(self) -> None:
        self._by: dict[tuple[int, str], list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        self._provisional: set[str] = set()

    def add(self, rec_id: str, cycle: int, paragraph: str, text: str, states: set[str]) -> None:
        keys = _keys(text)
        for iso in states:
            self._by[(cycle, iso)].append((rec_id, keys))
        if is_provisional(paragraph):
            self._provisional.add(rec_id)

    def best(self, cycle: int, iso: str, text: str, provisional_only: bool = False) -> Match:
        wanted = text_key(text)
        scored: list[Candidate] = []
        for rec_id, keys in self._by.get((cycle, iso), []):
            if provisional_only and rec_id not in self._provisional:
                continue
            scored.append(Candidate(rec_id, _similarity(wanted, keys)))
        scored.sort(key=lambda c: (-c.score, c.rec_id))
        if not scored or scored[0].score < MATCH_RATIO:
            return Match(None, scored[0].score if scored else 0.0)
        top = scored[0]
        close = [c for c in scored if c.score >= top.score - TIE_MARGIN and c.score >= MATCH_RATIO]
        if len(close) > 1:
            return Match(None, top.score, tuple(close))
        return Match(top.rec_id, top.score)


def _similarity(wanted: str, keys: tuple[str, ...]) -> float:
    if wanted in keys:
        return 1.0
    best = 0.0
    for key in keys:
        matcher = difflib.SequenceMatcher(None, wanted, key, autojunk=False)
        if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
            continue
        best = max(best, matcher.ratio())
    return best
