"""What a plan item, an institution and a progress report are, as editors and plan files give
them; and a plan's timeline ("2025-2027", "Q3 2026", "ongoing") as a due date."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, field_validator

from .. import schema
from ..i18n import _
from ..progress import LIMITS, Id, Long, OptionalId, OptionalShort, Short, _as_date, _text
from ..validation import blank_to_none

InstitutionKind = Literal[tuple(schema.INSTITUTION_KINDS)]  # type: ignore[valid-type]
PlanStatus = Literal[tuple(schema.PLAN_STATUSES)]  # type: ignore[valid-type]
OptionalLong = _text(LIMITS["long"], required=False)
MAX_RECS = 50  # recommendations one plan item may name

# Words a plan uses for "no end date".
OPEN_ENDED = {
    "ongoing", "on going", "on-going", "continuous", "continuing", "permanent", "regular",
    "regularly", "annual", "annually", "every year", "as needed", "n/a", "na", "-", "tbd",
    "to be determined", "ជាប្រចាំ", "បន្ត", "ប្រចាំឆ្នាំ",
}  # fmt: skip
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_YEAR = r"(19[5-9][0-9]|20[0-9]{2}|21[0-9]{2})"
_PATTERNS = [
    # 2026-06-30, 2026/6/30
    (re.compile(rf"{_YEAR}[-/.]([0-9]{{1,2}})[-/.]([0-9]{{1,2}})"), "day"),
    # 30/06/2026 (day first, as in Cambodian and most official documents)
    (re.compile(rf"([0-9]{{1,2}})[/.]([0-9]{{1,2}})[/.]{_YEAR}"), "day_first"),
    (re.compile(rf"{_YEAR}[-/.]([0-9]{{1,2}})"), "month"),  # 2026-06
    (re.compile(rf"([0-9]{{1,2}})[-/.]{_YEAR}"), "month_first"),  # 06/2026
    (re.compile(rf"q([1-4])[\s-]*{_YEAR}"), "quarter"),  # Q3 2026
    (re.compile(rf"{_YEAR}[\s-]*q([1-4])"), "quarter_last"),  # 2026 Q3
    (re.compile(rf"([a-z]+)\.?,?\s+{_YEAR}"), "month_name"),  # June 2026, Jun. 2026
    (re.compile(rf"{_YEAR}\s*[-–—/]\s*{_YEAR}"), "range"),  # 2025-2027
    (re.compile(_YEAR), "year"),
]
_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def due_date(value: Any) -> tuple[date | None, str | None]:
    """(the last day of the period the timeline gives, its precision), or (None, None) for an
    open-ended timeline; raises ValueError with a plain message for anything else."""
    if isinstance(value, datetime | date) or (
        isinstance(value, int | float) and not isinstance(value, bool) and value > 9999
    ):
        return _as_date(value), "day"  # a date cell; a day number says what it is
    text = str(value).strip().lower().translate(_KHMER_DIGITS) if value is not None else ""
    text = re.sub(r"\s+", " ", text).removeprefix("by ").removeprefix("end of ").strip()
    if not text or text in OPEN_ENDED:
        return None, None
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        g = match.groups()
        try:
            if kind == "day":
                return _as_date(f"{int(g[0]):04d}-{int(g[1]):02d}-{int(g[2]):02d}"), "day"
            if kind == "day_first":
                return _as_date(f"{int(g[2]):04d}-{int(g[1]):02d}-{int(g[0]):02d}"), "day"
            if kind == "month":
                return _last_day(int(g[0]), int(g[1])), "month"
            if kind == "month_first":
                return _last_day(int(g[1]), int(g[0])), "month"
            if kind == "quarter":
                return _last_day(int(g[1]), int(g[0]) * 3), "quarter"
            if kind == "quarter_last":
                return _last_day(int(g[0]), int(g[1]) * 3), "quarter"
            if kind == "month_name" and g[0] in _MONTHS:
                return _last_day(int(g[1]), _MONTHS[g[0]]), "month"
            if kind == "range":
                first, last = int(g[0]), int(g[1])
                if last < first:
                    raise ValueError(
                        _("{value}: the period ends before it begins", value=repr(str(value)))
                    )
                return date(last, 12, 31), "year"
            if kind == "year":
                return date(int(g[0]), 12, 31), "year"
        except ValueError as error:
            if "period ends" in str(error) or "before it begins" in str(error):
                raise
            break  # a month 13, a 31 February: not a date
    raise ValueError(
        _(
            "{value} is not a date or period: write a date (YYYY-MM-DD), a month (YYYY-MM), "
            "a quarter (Q3 2026), a year (2026), a range of years (2025-2027) or 'ongoing'",
            value=repr(str(value)[:40]),
        )
    )


def _ids(value: Any) -> list[str]:
    # Plans list recommendations with semicolons, commas or one per line.
    parts = value if isinstance(value, list) else re.split(r"[;,\n]", str(value or ""))
    ids = [v.strip().upper() for v in parts if str(v).strip()]
    if len(ids) > MAX_RECS:
        raise ValueError(
            _("names {n} recommendations; the limit is {limit}", n=len(ids), limit=MAX_RECS)
        )
    return list(dict.fromkeys(ids))


def _names(value: Any) -> list[str]:
    # Institutions: semicolons or one per line (a name may hold a comma).
    parts = value if isinstance(value, list) else re.split(r"[;\n]", str(value or ""))
    return list(dict.fromkeys(v.strip() for v in parts if str(v).strip()))


class InstitutionIn(BaseModel):
    """An institution as an editor enters it (a correction gives the id of the one it corrects)."""

    sur: Annotated[str, BeforeValidator(lambda v: (blank_to_none(v) or "").upper())]
    name_en: OptionalShort = None
    name_km: OptionalShort = None
    kind: InstitutionKind = "other"
    institution_id: OptionalId = None

    @field_validator("name_km")
    @classmethod
    def _one_name(cls, value: str | None, info) -> str | None:
        if not value and not info.data.get("name_en"):
            raise ValueError(_("give the institution's name in English or in Khmer"))
        return value


class PlanItemIn(BaseModel):
    """One item of an implementation plan. Institutions are given by id or by name; a name the
    store does not know becomes a new institution."""

    sur: Annotated[str, BeforeValidator(lambda v: (blank_to_none(v) or "").upper())]
    rec_ids: Annotated[list[str], BeforeValidator(_ids)]
    responsible: Short
    supporting: Annotated[list[str], BeforeValidator(_names)] = []
    action: Long
    indicator: OptionalLong = None
    baseline: OptionalLong = None
    target: OptionalLong = None
    timeline: OptionalShort = None
    source_document: OptionalShort = None
    note: OptionalShort = None
    item_id: OptionalId = None  # given: this row corrects that item
    withdrawn: bool = False

    @field_validator("rec_ids")
    @classmethod
    def _some(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError(_("name at least one recommendation id, e.g. KHM-2-118.1"))
        return value

    @field_validator("timeline")
    @classmethod
    def _timeline(cls, value: str | None) -> str | None:
        due_date(value)  # a timeline that is neither a date, a period nor open-ended: said here
        return value


class ProgressIn(BaseModel):
    """Progress reported on a plan item."""

    item_id: Id
    status: PlanStatus
    date: Annotated[date, BeforeValidator(_as_date)]
    note: OptionalLong = None
    reported_by: Short
    evidence_id: OptionalId = None
    assessment_id: OptionalId = None
    supersedes: OptionalId = None

    @field_validator("date")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > date.today():
            raise ValueError(_("{date} is in the future", date=value.isoformat()))
        return value


def guess_kind(name: str) -> str:
    """An institution's kind from its name, for one a plan file names first (an editor can
    correct it)."""
    text = name.lower()
    if "ministry" in text or "ក្រសួង" in text:
        return "ministry"
    if "court" in text or "តុលាការ" in text:
        return "court"
    if "national assembly" in text or "senate" in text or "parliament" in text:
        return "parliament"
    if "រដ្ឋសភា" in text or "ព្រឹទ្ធសភា" in text:
        return "parliament"
    if "human rights" in text and ("committee" in text or "commission" in text):
        return "nhri"
    if "សិទ្ធិមនុស្ស" in text:
        return "nhri"
    return "other"


__all__ = [
    "Id",
    "InstitutionIn",
    "PlanItemIn",
    "ProgressIn",
    "due_date",
    "guess_kind",
]
