"""Recording progress: assessments and evidence, one at a time or in bulk, with nothing ever lost.

Every input is validated as a whole first (each problem names its row and column); only a fully
valid change is written, as one all-or-nothing append with its audit row. Rows are never edited
or deleted: a correction is a new row whose `supersedes` names the row it replaces.
"""

from __future__ import annotations

import errno
import re
import unicodedata
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

import pyarrow as pa
from pydantic import AfterValidator, BaseModel, BeforeValidator, field_validator

from . import schema, store
from .access import Writer, require_writer
from .i18n import _
from .problems import InputError, Problem
from .validation import (
    ActionType,
    Direction,
    Role,
    SourceKind,
    Status,
    blank_to_none,
    parse_partial_date,
    split_list,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Length limits of the free-text fields (characters), shown in the messages.
LIMITS = {
    "id": 60,  # a recommendation, assessment or evidence id
    "short": 300,  # an organisation, actor, title, source, note
    "long": 5_000,  # a rationale or summary
    "url": 2_000,
    "reason": 1_000,  # a curator's reason
}
MAX_IDS = 50  # recommendation ids one piece of evidence may bear on


def _check_text(value: str, limit: int) -> str:
    """Refuse control characters (NUL and the like; tab and line breaks are allowed) and text
    longer than `limit`, saying where."""
    for position, char in enumerate(value, start=1):
        if char not in "\t\n\r" and unicodedata.category(char) == "Cc":
            raise ValueError(
                _(
                    "contains a control character ({code}) at character {position}: remove it",
                    code=f"U+{ord(char):04X}",
                    position=position,
                )
            )
    if len(value) > limit:
        raise ValueError(
            _(
                "is {length} characters long; the limit is {limit}",
                length=f"{len(value):,}",
                limit=f"{limit:,}",
            )
        )
    return value


def _required(value: Any) -> Any:
    value = blank_to_none(value)
    if value is None:
        raise ValueError(_("is empty: fill it in"))
    return value


def _text(limit: int, *, required: bool = True) -> Any:
    """A free-text field of at most `limit` characters (blank: missing)."""
    check = AfterValidator(lambda v: v if v is None else _check_text(v, limit))
    if required:
        return Annotated[str, BeforeValidator(_required), check]
    return Annotated[str | None, BeforeValidator(blank_to_none), check]


Id = _text(LIMITS["id"])
OptionalId = _text(LIMITS["id"], required=False)
Short = _text(LIMITS["short"])
OptionalShort = _text(LIMITS["short"], required=False)
Long = _text(LIMITS["long"])
Url = _text(LIMITS["url"])
OptionalUrl = _text(LIMITS["url"], required=False)

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?")


def _serial_number(value: object) -> ValueError:
    return ValueError(
        _(
            "{value} is a number, not a date (a spreadsheet keeps dates as day numbers): "
            "format the cell as a date, or type the date as YYYY-MM-DD",
            value=value,
        )
    )


def _time_of_day(value: datetime) -> ValueError:
    return ValueError(
        _(
            "{value} holds a time of day: give the date only, as YYYY-MM-DD",
            value=f"{value:%Y-%m-%d %H:%M}",
        )
    )


def _as_date(value: Any) -> date:
    """A day from a form, a CSV cell or a spreadsheet cell, or a plain message saying why not."""
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise _time_of_day(value)
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _serial_number(f"{value:g}")
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValueError(_("is empty: give the date as YYYY-MM-DD"))
    if _NUMBER.fullmatch(text):
        raise _serial_number(text)
    match = _DAY.fullmatch(text)
    if not match:
        raise ValueError(_("{value} is not a date: write it as YYYY-MM-DD", value=repr(text[:40])))
    year, month, day, hour, minute, second = match.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        int(second or 0))  # fmt: skip
    except ValueError:
        raise ValueError(
            _("{value} is not a date in the calendar (YYYY-MM-DD)", value=repr(text[:40]))
        ) from None
    if when.time() != time(0):
        raise _time_of_day(when)
    return when.date()


def _id_list(value: Any) -> list[str]:
    ids = split_list(value)
    if len(ids) > MAX_IDS:
        raise ValueError(
            _("names {n} recommendations; the limit is {limit}", n=len(ids), limit=MAX_IDS)
        )
    for rec_id in ids:
        _check_text(rec_id, LIMITS["id"])
    return ids


def _http(value: str | None) -> str | None:
    if value and not (value.startswith("http://") or value.startswith("https://")):
        raise ValueError(_("{value} is not an http(s) link", value=repr(value[:60])))
    if value and any(c.isspace() for c in value):
        raise ValueError(_("a link cannot contain spaces"))
    return value


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError(_("{date} is in the future", date=value.isoformat()))
    return value


class AssessmentIn(BaseModel):
    """One assessment as an editor enters it (also a row of the assessments template)."""

    rec_id: Id
    status: Status
    assessor_role: Role
    assessor_org: Short
    date: Annotated[date, BeforeValidator(_as_date)]
    rationale: Long
    evidence_url: OptionalUrl = None
    source: OptionalShort = None
    source_location: OptionalShort = None  # where in the source it says so, e.g. "section 2"
    supersedes: OptionalId = None

    _url = field_validator("evidence_url")(_http)
    _date = field_validator("date")(_not_future)

    @field_validator("rec_id", "supersedes")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value


class EvidenceIn(BaseModel):
    """One dated, sourced fact, bearing on one or more recommendations."""

    date: Annotated[str, BeforeValidator(_required)]  # YYYY, YYYY-MM or YYYY-MM-DD
    rec_ids: Annotated[list[str], BeforeValidator(_id_list)]
    role: Role
    actor: Short
    action_type: ActionType
    direction: Direction
    summary: Long
    source_title: Short
    source_url: Url
    source_kind: SourceKind  # who published the page read: schema.SOURCE_KINDS
    publisher: OptionalShort = None  # its publisher (and the original's, for a reproduction)
    date_note: OptionalShort = None
    # why it bears on the recommendations named: kept on each of its links (evidence_links.reason)
    link_reason: OptionalShort = None
    supersedes: OptionalId = None

    _url = field_validator("source_url")(_http)

    @field_validator("date", mode="before")
    @classmethod
    def _day_or_text(cls, value: Any) -> Any:
        # A spreadsheet date cell is a day; a number is a day number, not a year.
        if isinstance(value, datetime | date):
            return _as_date(value).isoformat()
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise _serial_number(f"{value:g}")
        return value

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        text = value.strip()
        if re.fullmatch(r"[0-9]{5,}(?:\.[0-9]+)?", text):
            raise _serial_number(text)
        if _DAY.fullmatch(text) and len(text) > 10:
            _as_date(text)  # a date with a time of day: says so
            text = text[:10]
        when, _precision = parse_partial_date(text[:40])
        _not_future(when)
        return text

    @field_validator("rec_ids")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError(_("name at least one recommendation id, e.g. KHM-2-118.1"))
        return [v.upper() for v in value]


KINDS = {"assessments": AssessmentIn, "evidence": EvidenceIn}


def columns(kind: str) -> list[str]:
    return list(KINDS[kind].model_fields)


# -- checks against the store ----------------------------------------------------------------------


def _known(store_dir, table: str, column: str) -> set[str]:
    return set(store.read_table(store_dir, table).column(column).to_pylist())


def check_formulas(file: str, records: list[dict], rows: list[int] | None = None) -> list[Problem]:
    """Text that a spreadsheet would run as a formula is refused, not silently altered. `rows`
    are the records' spreadsheet row numbers (default: 2, 3, ... below a header on row 1)."""
    problems = []
    numbers = rows if rows is not None else range(2, len(records) + 2)
    for number, record in zip(numbers, records, strict=True):
        for column, value in record.items():
            if isinstance(value, str) and value.startswith(FORMULA_START):
                problems.append(
                    Problem(
                        file,
                        int(number),
                        column,
                        _(
                            "starts like a spreadsheet formula (=, +, -, @, tab); "
                            "remove or quote the first character"
                        ),
                    )
                )
    return problems


def _assessment_problems(store_dir, file: str, rows: list[tuple[int, AssessmentIn]]):
    problems = []
    recs = _known(store_dir, "recommendations", "rec_id")
    existing = store.read_table(store_dir, "assessments").to_pylist()
    by_id = {a["assessment_id"]: a for a in existing}
    seen = {_assessment_key(a) for a in existing}
    for n, row in rows:
        if row.rec_id not in recs:
            problems.append(
                Problem(file, n, "rec_id", _("unknown recommendation {rec_id}", rec_id=row.rec_id))
            )
        if row.supersedes:
            old = by_id.get(row.supersedes)
            if old is None:
                problems.append(
                    Problem(
                        file,
                        n,
                        "supersedes",
                        _("unknown assessment {id}", id=row.supersedes),
                    )
                )
            elif old["rec_id"] != row.rec_id:
                problems.append(
                    Problem(
                        file,
                        n,
                        "supersedes",
                        _("{id} is about {rec_id}", id=row.supersedes, rec_id=old["rec_id"]),
                    )
                )
        key = _assessment_key(row.model_dump())
        if key in seen:
            problems.append(
                Problem(file, n, None, _("duplicate: this assessment is already there"))
            )
        seen.add(key)
    return problems


def _assessment_key(a: dict) -> tuple:
    return (
        a["rec_id"],
        a["status"],
        a["assessor_role"],
        (a["assessor_org"] or "").lower(),
        a["date"],
        a.get("supersedes"),
    )


def _evidence_problems(store_dir, file: str, rows: list[tuple[int, EvidenceIn]]):
    problems = []
    recs = _known(store_dir, "recommendations", "rec_id")
    existing = store.read_table(store_dir, "evidence").to_pylist()
    ids = {e["evidence_id"] for e in existing}
    seen = {(e["source_url"], e["summary"].strip().lower()) for e in existing}
    for n, row in rows:
        unknown = [r for r in row.rec_ids if r not in recs]
        if unknown:
            problems.append(
                Problem(
                    file,
                    n,
                    "rec_ids",
                    _("unknown recommendation {rec_id}", rec_id=", ".join(unknown[:5])),
                )
            )
        if row.supersedes and row.supersedes not in ids:
            problems.append(
                Problem(file, n, "supersedes", _("unknown evidence {id}", id=row.supersedes))
            )
        key = (row.source_url, row.summary.strip().lower())
        if key in seen:
            problems.append(Problem(file, n, None, _("duplicate: this evidence is already there")))
        seen.add(key)
    return problems


# -- turning valid input into rows -----------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12].upper()}"


def _table(name: str, rows: list[dict]) -> pa.Table:
    names = schema.TABLES[name].names
    return pa.Table.from_pylist([{c: r.get(c) for c in names} for r in rows], schema.TABLES[name])


def _audit(writer: Writer, action: str, summary: str, rows: int, file_name=None, sha256=None):
    return _table(
        "audit",
        [
            dict(
                audit_id=_new_id("W"),
                at=_now(),
                who=writer.who,
                access=writer.access,
                action=action,
                summary=summary,
                rows=rows,
                file_name=file_name,
                file_sha256=sha256,
            )
        ],
    )


def _assessment_rows(rows: Iterable[AssessmentIn], writer: Writer) -> list[dict]:
    now = _now()
    return [
        dict(row.model_dump(), assessment_id=_new_id("A"), entered_by=writer.who, entered_at=now)
        for row in rows
    ]


def _evidence_rows(rows: Iterable[EvidenceIn], writer: Writer) -> tuple[list[dict], list[dict]]:
    now, evidence, links = _now(), [], []
    for row in rows:
        evidence_id = _new_id("EV")
        when, precision = parse_partial_date(row.date)
        evidence.append(
            dict(
                row.model_dump(exclude={"rec_ids", "date", "link_reason"}),
                evidence_id=evidence_id,
                date=when,
                date_precision=precision,
                entered_by=writer.who,
                entered_at=now,
            )
        )
        links.extend(
            dict(evidence_id=evidence_id, rec_id=r, reason=row.link_reason)
            for r in dict.fromkeys(row.rec_ids)
        )
    return evidence, links


def _append(store_dir, tables, file: str) -> None:
    """One all-or-nothing write of the store, with a failure of the disk said in plain words.
    `tables` is the rows to append, or a function returning them that `store.write` calls inside
    the transaction (so its checks against the store see every committed write)."""
    try:
        store.write(store_dir, tables if callable(tables) else lambda: tables)
    except OSError as error:
        raise InputError([Problem(file, None, None, write_failure(error))]) from None


def write_failure(error: OSError) -> str:
    """What a user is told when the machine cannot write: never a raw OSError."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _(
            "nothing was saved: the disk holding the store is full. Ask the administrator to "
            "free some space, then save again"
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _(
            "nothing was saved: the server may not write to the store's folder. Ask the "
            "administrator to check its permissions"
        )
    reason = error.strerror or type(error).__name__
    return _(
        "nothing was saved: the store could not be written ({reason}). Try again later",
        reason=reason,
    )


def _summary(what: str, ids: list[str]) -> str:
    shown = ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")
    return f"{len(ids)} {what} ({shown})"


# -- the writes ------------------------------------------------------------------------------------


def write_assessments(
    store_dir,
    numbered: list[tuple[int, AssessmentIn]],
    writer: Writer,
    *,
    file: str = "form",
    sha256: str | None = None,
) -> list[str]:
    """Validate against the store, then append; returns the new assessment ids. The check for
    duplicates runs inside the write's transaction: two editors saving the same rows at once
    keep one copy, and the later one is told so."""
    require_writer(writer)
    written: list[str] = []

    def compute() -> dict[str, pa.Table]:
        problems = _assessment_problems(store_dir, file, numbered)
        if problems:
            raise InputError(problems)
        rows = _assessment_rows((row for _, row in numbered), writer)
        written[:] = [r["assessment_id"] for r in rows]
        return {
            "assessments": _table("assessments", rows),
            "audit": _audit(
                writer,
                "import" if sha256 else "add_assessment",
                _summary("assessments", [r["rec_id"] for r in rows]),
                len(rows),
                None if file == "form" else file,
                sha256,
            ),
        }

    _append(store_dir, compute, file)
    return written


def write_evidence(
    store_dir,
    numbered: list[tuple[int, EvidenceIn]],
    writer: Writer,
    *,
    file: str = "form",
    sha256: str | None = None,
) -> list[str]:
    require_writer(writer)
    written: list[str] = []

    def compute() -> dict[str, pa.Table]:  # inside the write: see write_assessments
        problems = _evidence_problems(store_dir, file, numbered)
        if problems:
            raise InputError(problems)
        evidence, links = _evidence_rows((row for _, row in numbered), writer)
        written[:] = [e["evidence_id"] for e in evidence]
        return {
            "evidence": _table("evidence", evidence),
            "evidence_links": _table("evidence_links", links),
            "audit": _audit(
                writer,
                "import" if sha256 else "add_evidence",
                _summary("evidence", written),
                len(evidence),
                None if file == "form" else file,
                sha256,
            ),
        }

    _append(store_dir, compute, file)
    return written


def add_assessment(store_dir, data: dict, writer: Writer) -> str:
    """One assessment from the form; raises InputError or NotAllowed."""
    require_writer(writer)
    return write_assessments(store_dir, [(1, _validate_one(AssessmentIn, data))], writer)[0]


def add_evidence(store_dir, data: dict, writer: Writer) -> str:
    require_writer(writer)
    return write_evidence(store_dir, [(1, _validate_one(EvidenceIn, data))], writer)[0]


def curate_tags(
    store_dir, rec_id: str, scheme: str, codes: list[str], writer: Writer, reason: str
) -> None:
    """A curator's tags for one scheme of one recommendation; they replace the classifier's in
    every view, which stay stored underneath (see queries.effective_tags)."""
    from . import taxonomy

    require_writer(writer)
    vocabulary = taxonomy.SCHEMES.get(scheme)
    problems = []
    if vocabulary is None:
        problems.append(
            Problem("form", None, "scheme", _("unknown scheme {scheme}", scheme=repr(scheme)))
        )
    elif not codes:
        problems.append(Problem("form", None, "codes", _("choose at least one")))
    elif scheme == "action_category" and len(codes) != 1:
        problems.append(Problem("form", None, "codes", _("choose exactly one action category")))
    else:
        problems += [
            Problem(
                "form", None, "codes", _("unknown {scheme} {code}", scheme=scheme, code=repr(c))
            )
            for c in codes
            if c not in vocabulary
        ]
    if rec_id not in _known(store_dir, "recommendations", "rec_id"):
        problems.append(
            Problem("form", None, "rec_id", _("unknown recommendation {rec_id}", rec_id=rec_id))
        )
    reason = reason if isinstance(reason, str) else ""
    if not reason.strip():
        problems.append(Problem("form", None, "reason", _("say why, for the record")))
    else:
        try:
            _check_text(reason.strip(), LIMITS["reason"])
        except ValueError as error:
            problems.append(Problem("form", None, "reason", str(error)))
    if problems:
        raise InputError(problems)
    rule = f"curator {writer.shown}, {_now():%Y-%m-%d}: {reason.strip()}"
    tags = [
        dict(
            rec_id=rec_id,
            scheme=scheme,
            code=c,
            label=vocabulary[c],
            provenance="curator",
            rule=rule,
        )
        for c in dict.fromkeys(codes)
    ]
    _append(
        store_dir,
        {
            "tags": _table("tags", tags),
            "audit": _audit(
                writer, "curate_tags", f"{rec_id} {scheme}: {', '.join(codes)}", len(tags)
            ),
        },
        "form",
    )


def _validate_one(model, data: dict):
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError(
            [
                Problem(
                    "form",
                    None,
                    str(d["loc"][0]) if d["loc"] else None,
                    d["msg"].removeprefix("Value error, "),
                )
                for d in error.errors()
            ]
        ) from None
