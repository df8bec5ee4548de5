"""Bulk import of assessments or evidence from the CSV/XLSX templates, and the templates themselves.

The same importer serves the Data page and `python -m upr_data import PATH`. A file is read,
checked as a whole (size, encoding, columns, formulas, every row, against the store) and only then
written, all or nothing, with its name and SHA-256 in the audit table.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pandas as pd

from . import progress
from .access import Writer, require_writer
from .i18n import N_
from .problems import InputError, Problem
from .validation import validate_rows

MAX_BYTES = 10 * 1024 * 1024

DICTIONARY = {
    "assessments": {
        "rec_id": N_("Recommendation id, e.g. KHM-2-118.1 (cycle and paragraph)"),
        "status": N_("not_implemented, partially_implemented or fully_implemented"),
        "assessor_role": N_("government, recommending_state, civil_society, public or un"),
        "assessor_org": N_("The organisation making the assessment"),
        "date": N_("Date of the assessment, YYYY-MM-DD (not in the future)"),
        "rationale": N_("Why this status: what was or was not done"),
        "evidence_url": N_("Optional http(s) link to the evidence"),
        "source": N_("Optional: the report or document the assessment comes from"),
        "supersedes": N_("Optional: id of an earlier assessment this one corrects"),
    },
    "evidence": {
        "date": N_("When it happened: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source"),
        "rec_ids": N_("Recommendation ids it bears on, separated by semicolons"),
        "role": N_(
            "Stakeholder role of the actor: government, recommending_state, "
            "civil_society, public or un"
        ),
        "actor": N_("Who acted, e.g. National Assembly of Cambodia"),
        "action_type": N_(
            "legislation, policy, institution, ratification, consultation, "
            "monitoring_report, advocacy or other"
        ),
        "direction": N_("progress, regression, mixed or no_change"),
        "summary": N_("One or two sentences: what happened"),
        "source_title": N_("Title of the source"),
        "source_url": N_("http(s) link to the source"),
        "date_note": N_("Optional: how the date was checked"),
        "supersedes": N_("Optional: id of earlier evidence this row corrects"),
    },
}


def detect(columns: list[str]) -> str | None:
    """'assessments' or 'evidence' from a header row, or None."""
    found = {c.strip().lower() for c in columns}
    if {"status", "assessor_role"} <= found:
        return "assessments"
    if {"direction", "summary"} <= found:
        return "evidence"
    return None


def _read(name: str, data: bytes) -> tuple[pd.DataFrame | None, list[Problem]]:
    if len(data) > MAX_BYTES:
        return None, [
            Problem(
                name, None, None, f"file is {len(data) / 1e6:.1f} MB; the limit is 10 MB: split it"
            )
        ]
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(name, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [
            Problem(
                name, None, None, f"not UTF-8 text (byte {error.start}): save it as 'CSV UTF-8'"
            )
        ]
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        return None, [Problem(name, None, None, f"not a readable CSV file: {error}")]
    return frame, []


def _read_xlsx(name: str, data: bytes) -> tuple[pd.DataFrame | None, list[Problem]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        return None, [Problem(name, None, None, f"not a readable XLSX file: {error}")]
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=False))
    if not rows:
        return None, [Problem(name, None, None, "the first sheet is empty")]
    header = [str(c.value or "").strip() for c in rows[0]]
    problems, records = [], []
    for n, row in enumerate(rows[1:], start=2):
        record = {}
        for column, cell in zip(header, row, strict=False):
            if cell.data_type == "f":
                problems.append(Problem(name, n, column, "is a formula; type the value instead"))
            value = cell.value
            record[column] = (
                ""
                if value is None
                else (
                    value.date().isoformat()
                    if hasattr(value, "date") and callable(value.date)
                    else str(value)
                )
            )
        if any(v != "" for v in record.values()):
            records.append(record)
    return pd.DataFrame.from_records(records, columns=header).fillna(""), problems


def import_progress(store_dir, name: str, data: bytes, writer: Writer) -> tuple[str, list[str]]:
    """Import a template file; returns (kind, new ids). Raises InputError listing every problem
    (the store is unchanged) or NotAllowed."""
    require_writer(writer)
    frame, problems = _read(name, data)
    if frame is None:
        raise InputError(problems)
    kind = detect(list(frame.columns))
    if kind is None:
        raise InputError(
            [
                Problem(
                    name,
                    1,
                    None,
                    "not an assessments or evidence template: the header row must match one",
                )
            ]
        )
    frame.columns = [c.strip().lower() for c in frame.columns]
    expected = progress.columns(kind)
    problems += [Problem(name, 1, c, "missing column") for c in expected if c not in frame]
    problems += [Problem(name, 1, c, "unknown column") for c in frame if c not in expected]
    problems += [
        Problem(name, n, None, f"duplicate of row {first}") for n, first in _duplicate_rows(frame)
    ]
    if frame.empty:
        problems.append(Problem(name, None, None, "no rows to import"))
    problems += progress.check_formulas(name, frame.to_dict(orient="records"))
    if problems:
        raise InputError(problems)
    rows, problems = validate_rows(name, frame, progress.KINDS[kind])
    if problems:
        raise InputError(problems)
    sha256 = hashlib.sha256(data).hexdigest()
    write = progress.write_assessments if kind == "assessments" else progress.write_evidence
    return kind, write(store_dir, rows, writer, file=name, sha256=sha256)


def import_path(store_dir, path: Path, writer: Writer) -> tuple[str, list[str]]:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    f"file is {size / 1e6:.1f} MB; the limit is 10 MB: split it",
                )
            ]
        )
    return import_progress(store_dir, path.name, path.read_bytes(), writer)


def _duplicate_rows(frame: pd.DataFrame) -> list[tuple[int, int]]:
    first: dict[tuple, int] = {}
    found = []
    for offset, row in enumerate(frame.itertuples(index=False)):
        key = tuple(str(v).strip().lower() for v in row)
        if key in first:
            found.append((offset + 2, first[key]))
        else:
            first[key] = offset + 2
    return found


# -- templates -------------------------------------------------------------------------------------


def template_csv(kind: str) -> bytes:
    return (",".join(progress.columns(kind)) + "\n").encode("utf-8")


def template_xlsx(kind: str, translate=lambda s: s) -> bytes:
    """An empty template sheet plus a data dictionary sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = kind
    sheet.append(progress.columns(kind))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 22
    about = book.create_sheet("data dictionary")
    about.append(["column", "meaning"])
    for column, meaning in DICTIONARY[kind].items():
        about.append([column, translate(meaning)])
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
