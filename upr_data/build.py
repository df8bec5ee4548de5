"""`python -m upr_data build`: the store's base tables, rebuilt deterministically from sources.

Everything is read and validated first; only a complete, valid set of tables is written, so bad
input leaves the existing store untouched. Rows appended later by editors (part files) are kept.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Literal

import pyarrow as pa
from pydantic import BaseModel, field_validator

from . import classify, countries, schema, store
from .problems import InputError, Problem
from .settings import SOURCES_DIR, STATE_UNDER_REVIEW
from .validation import (
    PARAGRAPH,
    ActionType,
    Direction,
    OptionalDate,
    OptionalInt,
    OptionalText,
    Response,
    Role,
    SourceKind,
    Status,
    Text,
    TextList,
    check_columns,
    parse_partial_date,
    read_csv,
    validate_rows,
)

CYCLES_FILE = "cambodia_upr_cycles.csv"
GROUPS_FILE = "un_regional_groups.csv"
EVIDENCE_FILE = "evidence.csv"
LINKS_FILE = "evidence_links.csv"
ASSESSMENTS_FILE = "assessments_sourced.csv"  # assessments a public document states
CORRECTIONS_FILE = "corrections.csv"  # documented fixes of typos in the source files
RECOMMENDATION_FILES = "*_cycle*_recommendations.csv"


RegionalGroup = Literal[tuple(schema.REGIONAL_GROUPS)]


def _resolve_states(names: list[str]) -> list[str]:
    if not names:
        raise ValueError("no recommending State")
    for name in names:
        countries.to_iso3(name)  # raises UnknownState (a ValueError) with the name
    return names


class CycleRow(BaseModel):
    cycle: int
    wg_session: OptionalInt
    review_date: OptionalDate
    wg_report: OptionalText
    responses_document: OptionalText
    recommendations: OptionalInt
    supported: OptionalInt
    noted: OptionalInt
    recommending_states: OptionalInt
    sources: OptionalText


class GroupRow(BaseModel):
    state: Text
    regional_group: RegionalGroup

    _state = field_validator("state")(lambda v: _resolve_states([v])[0])


class RecommendationRow(BaseModel):
    cycle: int
    rec_number: Text
    text: Text
    recommending_states: TextList
    response: Response
    text_source: Text
    response_source: OptionalText
    response_note: OptionalText

    _states = field_validator("recommending_states")(_resolve_states)

    @field_validator("rec_number")
    @classmethod
    def _paragraph(cls, value: str) -> str:
        if not PARAGRAPH.match(value):
            raise ValueError(
                f"{value!r} is not a paragraph number such as 118.12 (no leading zero)"
            )
        return value


def _http(value: str) -> str:
    if not re.match(r"^https?://\S+$", value):
        raise ValueError(f"{value!r} is not an http(s) link")
    return value


def _partial_date(value: str) -> str:
    parse_partial_date(value)
    return value


class EvidenceRow(BaseModel):
    """One dated, sourced fact (`evidence.csv`); its links are in `evidence_links.csv`."""

    evidence_id: Text
    date: Text  # YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source
    stakeholder_role: Role
    actor: Text
    action_type: ActionType
    direction: Direction
    source_kind: SourceKind
    publisher: Text
    source_title: Text
    source_url: Text
    summary: Text
    date_note: OptionalText

    _date = field_validator("date")(_partial_date)
    _url = field_validator("source_url")(_http)


class LinkRow(BaseModel):
    """An evidence item bears on a recommendation, and why."""

    evidence_id: Text
    rec_id: Text
    reason: Text  # one line


class SourcedAssessmentRow(BaseModel):
    """A stakeholder's judgement of a recommendation, as a public document states it."""

    assessment_id: Text
    rec_id: Text
    status: Status
    assessor_role: Role
    assessor_org: Text
    date: Text
    rationale: Text
    source_title: Text
    source_url: Text
    passage_location: Text

    _date = field_validator("date")(_partial_date)
    _url = field_validator("source_url")(_http)


def _corrections(folder: Path) -> dict[tuple[str, str], str]:
    """{(cycle, rec_number as given): corrected rec_number}."""
    path = folder / CORRECTIONS_FILE
    if not path.is_file():
        return {}
    frame = read_csv(path)
    return {(r.cycle, r.rec_number): r.corrected_rec_number for r in frame.itertuples()}


def _load(folder: Path, name: str, model, problems: list[Problem]):
    path = folder / name
    if not path.is_file():
        problems.append(Problem(name, None, None, "file not found"))
        return []
    frame = read_csv(path)
    if "rec_number" in frame.columns and "cycle" in frame.columns:
        fixes = _corrections(folder)
        frame["rec_number"] = [
            fixes.get((c, n), n) for c, n in zip(frame["cycle"], frame["rec_number"], strict=True)
        ]
    missing = check_columns(name, frame, list(model.model_fields))
    if missing:
        problems.extend(missing)
        return []
    rows, found = validate_rows(name, frame, model)
    problems.extend(found)
    return rows


def paragraph_sort_key(paragraph: str) -> int:
    """118.1 -> 1_180_001; a provisional "unnumbered.4" sorts after every numbered paragraph."""
    major, minor = paragraph.split(".")
    return (int(major) if major.isdigit() else 9_999) * 10_000 + int(minor)


def rec_id(sur: str, cycle: int, paragraph: str) -> str:
    return f"{sur}-{cycle}-{paragraph}"


def _document(text_source: str) -> str:
    return re.split(r"\s+paras?\b", text_source, maxsplit=1)[0].strip()


def _history(rid: str, row: RecommendationRow) -> list[dict]:
    """Positions in order. The source records a later change in `response_note`, e.g.
    "Listed in para 118 as enjoying support; Cambodia later changed its position to noted."""
    note = row.response_note
    if note and "later" in note.lower():
        first_clause = note.split(";")[0].lower()
        earlier = "supported" if "support" in first_clause else "noted"
        return [
            dict(
                rec_id=rid,
                seq=1,
                response=earlier,
                stage="adoption",
                note=None,
                source=row.text_source,
            ),
            dict(
                rec_id=rid,
                seq=2,
                response=row.response,
                stage="later",
                note=note,
                source=row.response_source,
            ),
        ]
    return [
        dict(
            rec_id=rid,
            seq=1,
            response=row.response,
            stage="adoption",
            note=note,
            source=row.response_source,
        ),
    ]


def _frame(table: str, records: list[dict], sort: list[str]) -> pa.Table:
    names = schema.TABLES[table].names
    rows = sorted(records, key=lambda r: tuple(r[k] for k in sort)) if sort else records
    return pa.Table.from_pylist([{c: r.get(c) for c in names} for r in rows], schema.TABLES[table])


def _evidence(
    rows: list[tuple[int, EvidenceRow]],
    link_rows: list[tuple[int, LinkRow]],
    recs: set[str],
    problems: list[Problem],
) -> tuple[list[dict], list[dict]]:
    """The evidence and its links; every item needs a date not in the future and a link."""
    evidence, first = [], {}
    for n, r in rows:
        if _repeats(EVIDENCE_FILE, "evidence_id", r.evidence_id, n, first, problems):
            continue
        when, precision = parse_partial_date(r.date)
        if when > date.today():
            problems.append(Problem(EVIDENCE_FILE, n, "date", f"{r.date} is in the future"))
        evidence.append(
            dict(
                evidence_id=r.evidence_id,
                date=when,
                date_precision=precision,
                role=r.stakeholder_role,
                actor=r.actor,
                action_type=r.action_type,
                direction=r.direction,
                summary=r.summary,
                source_title=r.source_title,
                source_url=r.source_url,
                source_kind=r.source_kind,
                publisher=r.publisher,
                date_note=r.date_note,
                entered_by=f"{schema.FROM_SOURCE_FILE}{EVIDENCE_FILE}",
                entered_at=None,
                supersedes=None,
            )
        )
    links, linked = [], {}
    for n, r in link_rows:
        if r.evidence_id not in first:
            problems.append(
                Problem(LINKS_FILE, n, "evidence_id", f"{r.evidence_id} is not in {EVIDENCE_FILE}")
            )
        if r.rec_id not in recs:
            problems.append(Problem(LINKS_FILE, n, "rec_id", f"unknown recommendation {r.rec_id}"))
        key = (r.evidence_id, r.rec_id)
        if key in linked:
            problems.append(Problem(LINKS_FILE, n, "rec_id", f"repeats row {linked[key]}"))
            continue
        linked[key] = n
        links.append(dict(evidence_id=r.evidence_id, rec_id=r.rec_id, reason=r.reason))
    with_link = {e for e, _ in linked}
    for evidence_id, n in first.items():
        if evidence_id not in with_link:
            problems.append(
                Problem(
                    EVIDENCE_FILE, n, "evidence_id", f"{evidence_id} has no link in {LINKS_FILE}"
                )
            )
    return evidence, links


def _repeats(
    file: str, column: str, key: str, row: int, first: dict[str, int], problems: list[Problem]
) -> bool:
    """True, with a problem, when `key` already stood on an earlier row of `file`; else it is
    remembered as first seen on `row`."""
    if key in first:
        problems.append(Problem(file, row, column, f"{key} repeats row {first[key]}"))
        return True
    first[key] = row
    return False


def _assessments(
    rows: list[tuple[int, SourcedAssessmentRow]], recs: set[str], problems: list[Problem]
) -> list[dict]:
    """Assessments a source states: its document is `source`, the passage `source_location`."""
    assessments, first = [], {}
    for n, r in rows:
        if _repeats(ASSESSMENTS_FILE, "assessment_id", r.assessment_id, n, first, problems):
            continue
        if r.rec_id not in recs:
            problems.append(
                Problem(ASSESSMENTS_FILE, n, "rec_id", f"unknown recommendation {r.rec_id}")
            )
        when, precision = parse_partial_date(r.date)
        if when > date.today():
            problems.append(Problem(ASSESSMENTS_FILE, n, "date", f"{r.date} is in the future"))
        assessments.append(
            dict(
                assessment_id=r.assessment_id,
                rec_id=r.rec_id,
                status=r.status,
                assessor_role=r.assessor_role,
                assessor_org=r.assessor_org,
                date=when,
                date_precision=precision,
                rationale=r.rationale,
                evidence_url=r.source_url,
                source=r.source_title,
                source_location=r.passage_location,
                entered_by=f"{schema.FROM_SOURCE_FILE}{ASSESSMENTS_FILE}",
                entered_at=None,
                supersedes=None,
            )
        )
    return assessments


def read_sources(folder: Path = SOURCES_DIR, sur: str = STATE_UNDER_REVIEW) -> dict[str, pa.Table]:
    """Validate every source file and return the base tables; raises InputError listing problems."""
    problems: list[Problem] = []
    cycle_rows = _load(folder, CYCLES_FILE, CycleRow, problems)
    group_rows = _load(folder, GROUPS_FILE, GroupRow, problems)
    rec_files = sorted(p.name for p in folder.glob(RECOMMENDATION_FILES))
    if not rec_files:
        problems.append(Problem(RECOMMENDATION_FILES, None, None, "no recommendation files"))
    rec_rows = [
        (f, n, r) for f in rec_files for n, r in _load(folder, f, RecommendationRow, problems)
    ]
    evidence_rows = _load(folder, EVIDENCE_FILE, EvidenceRow, problems)
    link_rows = _load(folder, LINKS_FILE, LinkRow, problems)
    assessment_rows = _load(folder, ASSESSMENTS_FILE, SourcedAssessmentRow, problems)

    cycles = [
        dict(
            sur=sur,
            cycle=r.cycle,
            wg_session=r.wg_session,
            review_date=r.review_date,
            wg_report=r.wg_report,
            responses_document=r.responses_document,
            official_recommendations=r.recommendations,
            official_supported=r.supported,
            official_noted=r.noted,
            official_recommending_states=r.recommending_states,
            sources=r.sources,
        )
        for _, r in cycle_rows
    ]
    known_cycles = {c["cycle"] for c in cycles}

    states: dict[str, dict] = {}
    for n, r in group_rows:
        iso3 = countries.to_iso3(r.state)
        if iso3 in states:
            problems.append(Problem(GROUPS_FILE, n, "state", f"{r.state!r} repeats {iso3}"))
        states[iso3] = dict(
            iso3=iso3, name=countries.display_name(iso3), regional_group=r.regional_group
        )

    recs, history, rec_states, tags = [], [], [], []
    seen: dict[str, tuple[str, int]] = {}
    for file, n, r in rec_rows:
        rid = rec_id(sur, r.cycle, r.rec_number)
        if rid in seen:
            problems.append(
                Problem(file, n, "rec_number", f"{r.rec_number} already on {seen[rid]}")
            )
            continue
        seen[rid] = (file, n)
        if known_cycles and r.cycle not in known_cycles:
            problems.append(Problem(file, n, "cycle", f"cycle {r.cycle} is not in {CYCLES_FILE}"))
        recs.append(
            dict(
                rec_id=rid,
                sur=sur,
                cycle=r.cycle,
                paragraph=r.rec_number,
                sort_key=paragraph_sort_key(r.rec_number),
                text=r.text,
                response=r.response,
                document=_document(r.text_source),
                text_source=r.text_source,
                response_source=r.response_source,
            )
        )
        history.extend(_history(rid, r))
        for name in dict.fromkeys(r.recommending_states):
            iso3 = countries.to_iso3(name)
            if iso3 not in states:
                problems.append(
                    Problem(
                        file,
                        n,
                        "recommending_states",
                        f"{name!r} ({iso3}) has no regional group in {GROUPS_FILE}",
                    )
                )
                continue
            rec_states.append(
                dict(
                    rec_id=rid,
                    state_iso3=iso3,
                    name_as_printed=name,
                    regional_group=states[iso3]["regional_group"],
                )
            )
        tags.extend(classify.tag_rows(rid, r.text))

    evidence, links = _evidence(evidence_rows, link_rows, set(seen), problems)
    assessments = _assessments(assessment_rows, set(seen), problems)

    if problems:
        raise InputError(problems)
    return {
        "cycles": _frame("cycles", cycles, ["sur", "cycle"]),
        "states": _frame("states", list(states.values()), ["iso3"]),
        "recommendations": _frame("recommendations", recs, ["sur", "cycle", "sort_key"]),
        "response_history": _frame("response_history", history, ["rec_id", "seq"]),
        "recommendation_states": _frame(
            "recommendation_states", rec_states, ["rec_id", "state_iso3"]
        ),
        "tags": _frame("tags", tags, ["rec_id", "scheme", "code"]),
        "assessments": _frame("assessments", assessments, ["assessment_id"]),
        "evidence": _frame("evidence", evidence, ["evidence_id"]),
        "evidence_links": _frame("evidence_links", links, ["evidence_id", "rec_id"]),
    }


def build(target: Path, sources: Path = SOURCES_DIR) -> dict[str, int]:
    """Rebuild the base tables of the store at `target`; returns row counts per table."""
    tables = read_sources(sources)
    store.replace_base(target, tables)
    return {name: table.num_rows for name, table in tables.items()}
