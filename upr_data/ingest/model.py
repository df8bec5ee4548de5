"""The normalised result every reader returns, and the small helpers the readers share.

A reader turns one input file (UHRI export, UPR Info CSV, our template) into a
`ParsedRecommendations`: the State under review, one `ParsedRecommendation` per paragraph as the
UN numbers them, and every `Problem` found (file, row, column, message). Nothing is written by a
reader; `preview` compares the result with the store and `commit` writes it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import countries, store
from ..problems import Problem
from ..validation import PARAGRAPH

# Scheme of each kind of official tag (`tags.scheme`; provenance "official").
SCHEME_UHRI_THEME = "uhri_theme"
SCHEME_UHRI_GROUP = "uhri_group"
SCHEME_SDG = "sdg"
SCHEME_ACTION = "action_category"  # UPR Info's 1-5 scale: the same codes as the classifier's
SCHEME_UPRINFO_ISSUE = "uprinfo_issue"

# Positions as files print them -> response code. "Rejected" is what the UPR counts as noted.
POSITIONS = {
    "supported": "supported",
    "accepted": "supported",
    "noted": "noted",
    "rejected": "noted",
    "supported/noted": "partially_supported",
    "partially supported": "partially_supported",
    "partially accepted": "partially_supported",
    "partially_supported": "partially_supported",
    "pending": "pending",
    "no response": "pending",
}


@dataclass(frozen=True)
class OfficialTag:
    scheme: str
    code: str
    label: str


@dataclass(frozen=True)
class Position:
    """One position the State took, in order; the last one is the current response."""

    response: str
    stage: str  # "adoption" | "later"
    note: str | None
    source: str | None


@dataclass
class ParsedRecommendation:
    cycle: int
    paragraph: str  # as printed, "110.1"; "0.n" for an unnumbered UPR Info text (see uprinfo)
    text: str  # the paragraph without its number, States in brackets as printed
    states: tuple[str, ...]  # recommending States, names as printed
    response: str  # current position: supported | noted | partially_supported | pending
    document: str | None  # document symbol of the text, e.g. A/HRC/41/17
    text_source: str
    response_source: str | None
    tags: tuple[OfficialTag, ...] = ()
    history: tuple[Position, ...] = ()  # empty: one adoption position = response
    row: int | None = None  # first spreadsheet row of the paragraph in the file
    numbered: bool = True  # False: the file gave no paragraph number (UPR Info)
    columns: dict[str, str] = field(default_factory=dict)  # role -> header as printed
    session: int | None = None  # the UPR working-group session the file names
    rows: tuple[int, ...] = ()  # every spreadsheet row the recommendation comes from
    state_rows: tuple[tuple[str, int], ...] = ()  # (recommending State as printed, its row)

    def positions(self) -> tuple[Position, ...]:
        if self.history:
            return self.history
        return (Position(self.response, "adoption", None, self.response_source),)

    def column(self, role: str) -> str:
        return self.columns.get(role, role)


@dataclass
class ParsedRecommendations:
    file: str  # the file's name, as problems cite it
    kind: str  # uhri | uprinfo | template
    sur: str | None  # State under review, ISO 3166 alpha-3
    recommendations: list[ParsedRecommendation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sha256: str | None = None  # of the file's bytes, for the audit table

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def cycles(self) -> list[int]:
        return sorted({r.cycle for r in self.recommendations})

    @property
    def cycle(self) -> int | None:
        """The cycle, when the file holds exactly one."""
        found = self.cycles
        return found[0] if len(found) == 1 else None


# -- cells ----------------------------------------------------------------------------------------


def blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return isinstance(value, str) and not value.strip()


def cell_text(value) -> str:
    """A cell as stripped text ('' for blanks; 32.0 -> '32')."""
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def list_items(value) -> list[str]:
    """A UHRI list cell: items each prefixed "- ", one a line -> the items.

    A cell without newlines holds one item ("- Cambodia" -> ["Cambodia"]). Duplicates are dropped,
    the order kept.
    """
    text = cell_text(value)
    if not text:
        return []
    items = []
    for line in re.split(r"[\r\n]+", text):
        item = re.sub(r"^\s*[-\u2013\u2022]\s*", "", line).strip()
        if item:
            items.append(item)
    return list(dict.fromkeys(items))


def single(value) -> str:
    """A single-valued UHRI cell without its "- " prefix."""
    items = list_items(value)
    return items[0] if len(items) == 1 else "; ".join(items)


def first_int(value) -> int | None:
    """'32nd session' / '- 32' / 32.0 -> 32."""
    match = re.search(r"\d+", cell_text(value))
    return int(match.group()) if match else None


def response_code(value) -> str | None:
    """Position as printed -> response code; None if unknown."""
    key = re.sub(r"\s+", " ", single(value).lower()).strip()
    key = re.sub(r"\s*/\s*", "/", key)
    if key in ("noted/supported",):
        key = "supported/noted"
    return POSITIONS.get(key)


# "110.1 Ratify ...", "110.1. Ratify ...", "110.1 - Ratify"
_LEADING_PARAGRAPH = re.compile(r"^\s*(\d{1,3}\.\d{1,4})\.?(?:\s*[-\u2013:]\s*|\s+)(.*)$", re.S)


def split_paragraph(text: str) -> tuple[str | None, str]:
    """'110.1 Ratify the ...' -> ('110.1', 'Ratify the ...'); (None, text) if no number leads."""
    match = _LEADING_PARAGRAPH.match(text)
    if not match:
        return None, text.strip()
    return match.group(1), match.group(2).strip()


def valid_paragraph(paragraph: str) -> bool:
    return bool(PARAGRAPH.match(paragraph))


def slug(label: str) -> str:
    text = unicodedata.normalize("NFKD", label)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "unnamed"


def sdg_tag(label: str) -> OfficialTag:
    """'16 - PEACE, JUSTICE ...' -> code '16'; '16.3 - Promote ...' -> code '16.3'."""
    match = re.match(r"^\s*(?:SDG\s*)?(\d{1,2}(?:\.[0-9a-z]{1,2})?)\b", label, re.I)
    return OfficialTag(SCHEME_SDG, match.group(1) if match else slug(label), label)


def normalise_text(text: str) -> str:
    """For comparing texts: typographic quotes and dashes, spacing, closing punctuation."""
    text = unicodedata.normalize("NFKC", text)
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip().rstrip(";.,").strip()


def resolve_states(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(ISO3 codes of the names that resolve, messages for those that do not)."""
    codes, errors = [], []
    for name in names:
        try:
            codes.append(countries.to_iso3(name))
        except countries.UnknownState as error:
            errors.append(str(error))
    return codes, errors


# -- the cycles table: which cycle a session or document belongs to -------------------------------

# The UPR's calendar: sessions 1-12 were the first cycle, then 14 sessions a cycle (13-26, 27-40,
# 41-54, ...). A file for a State or cycle the store does not know yet takes its cycle from this.
FIRST_CYCLE_SESSIONS = 12
SESSIONS_PER_CYCLE = 14
LAST_SESSION = 68  # the end of the fifth cycle (about 2032): a larger number is a typing error


def cycle_of_session(session: int) -> int | None:
    if not 1 <= session <= LAST_SESSION:
        return None
    if session <= FIRST_CYCLE_SESSIONS:
        return 1
    return 2 + (session - FIRST_CYCLE_SESSIONS - 1) // SESSIONS_PER_CYCLE


@dataclass(frozen=True)
class CycleIndex:
    """Looks up a cycle of a State under review by working-group session or document symbol."""

    rows: tuple[tuple[str, int, int | None, str | None, str | None], ...] = ()

    @classmethod
    def from_frame(cls, cycles: pd.DataFrame) -> CycleIndex:
        rows = []
        for r in cycles.itertuples(index=False):
            session = None if pd.isna(r.wg_session) else int(r.wg_session)
            wg = None if blank(r.wg_report) else str(r.wg_report).strip()
            resp = None if blank(r.responses_document) else str(r.responses_document).strip()
            rows.append((r.sur, int(r.cycle), session, wg, resp))
        return cls(tuple(rows))

    @classmethod
    def from_store(cls, store_dir: Path) -> CycleIndex:
        return cls.from_frame(store.read_table(store_dir, "cycles").to_pandas())

    def by_session(self, sur: str, session: int) -> int | None:
        """The cycles table's cycle of that session, else the UPR calendar's."""
        for s, cycle, wg_session, _, _ in self.rows:
            if s == sur and wg_session == session:
                return cycle
        return cycle_of_session(session)

    def by_document(self, sur: str, symbol: str) -> int | None:
        symbol = symbol.strip().upper()
        for s, cycle, _, wg, resp in self.rows:
            if s != sur:
                continue
            for known in (k.upper() for k in (wg, resp) if k):
                if symbol == known or symbol.startswith(known + "/"):
                    return cycle
        return None

    def sessions(self, sur: str) -> list[int]:
        return sorted(r[2] for r in self.rows if r[0] == sur and r[2] is not None)

    def known(self, sur: str) -> list[int]:
        return sorted(r[1] for r in self.rows if r[0] == sur)

    def document(self, sur: str, cycle: int) -> str | None:
        for s, c, _, wg, _ in self.rows:
            if s == sur and c == cycle:
                return wg
        return None
