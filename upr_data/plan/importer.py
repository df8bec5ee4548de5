"""A whole implementation plan from a CSV or XLSX matrix, as governments publish them: one row per
recommendation (or group of them), with columns for the responsible ministry, the planned action,
the indicator and the timeline.

Headers are matched tolerantly (`COLUMNS`: case, spacing and punctuation ignored; English and
Khmer names). The file is read like the other templates (`progress_import`: bounds checked before
parsing, any encoding, formulas refused), checked as a whole, and written all or nothing with its
name and SHA-256 in the audit; every problem names the file, row and column.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from pathlib import Path

from .. import progress, progress_import
from ..access import Writer, require_writer
from ..i18n import N_, _
from ..ingest.headers import header_key
from ..problems import InputError, Problem
from . import write
from .model import PlanItemIn

# column -> (meaning for the data dictionary, names a plan may give it)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rec_ids": (
        N_(
            "The recommendations the row implements: ids such as KHM-2-118.1, or paragraph "
            "numbers such as 118.1 when the import names the cycle; separated by semicolons, "
            "commas or line breaks"
        ),
        (
            "recommendation",
            "recommendations",
            "recommendation id",
            "recommendation ids",
            "recommendation no",
            "recommendation number",
            "rec id",
            "rec ids",
            "rec no",
            "upr recommendation",
            "upr recommendations",
            "paragraph",
            "para",
            "no",
            "number",
            "អនុសាសន៍",
            "លេខអនុសាសន៍",
        ),
    ),
    "responsible": (
        N_("The institution responsible (lead ministry): its name, or its id"),
        (
            "responsible",
            "responsible institution",
            "responsible ministry",
            "lead ministry",
            "lead institution",
            "lead agency",
            "ministry",
            "ministry in charge",
            "institution",
            "responsible agency",
            "focal ministry",
            "ក្រសួង",
            "ក្រសួងទទួលបន្ទុក",
            "ស្ថាប័នទទួលខុសត្រូវ",
        ),
    ),
    "supporting": (
        N_("Optional: supporting institutions, separated by semicolons or line breaks"),
        (
            "supporting",
            "supporting institutions",
            "supporting ministries",
            "supporting agencies",
            "partners",
            "partner institutions",
            "other institutions",
            "co responsible",
            "ស្ថាប័នពាក់ព័ន្ធ",
        ),
    ),
    "action": (
        N_("The planned action: what will be done"),
        (
            "action",
            "actions",
            "planned action",
            "planned actions",
            "activity",
            "activities",
            "planned activities",
            "measure",
            "measures",
            "សកម្មភាព",
        ),
    ),
    "indicator": (
        N_("Optional: the indicator that measures implementation"),
        ("indicator", "indicators", "performance indicator", "kpi", "សូចនាករ"),
    ),
    "baseline": (N_("Optional: the baseline value"), ("baseline", "baseline value")),
    "target": (N_("Optional: the target value"), ("target", "targets", "target value", "គោលដៅ")),
    "timeline": (
        N_(
            "Optional: by when, as a date (YYYY-MM-DD), month (YYYY-MM), quarter (Q3 2026), year "
            "(2026), range of years (2025-2027) or 'ongoing'; the due date is the period's last day"
        ),
        (
            "timeline",
            "timeframe",
            "time frame",
            "deadline",
            "due date",
            "due",
            "by when",
            "period",
            "implementation period",
            "target date",
            "completion date",
            "ពេលវេលា",
            "កាលបរិច្ឆេទ",
        ),
    ),
    "source_document": (
        N_("Optional: the plan the row comes from (title, symbol or link); default: the file"),
        ("source", "source document", "document", "plan"),
    ),
    "sur": (
        N_("Optional: the State under review (ISO code, e.g. KHM); default: the import's"),
        ("sur", "state under review", "state", "country"),
    ),
}
REQUIRED = ("rec_ids", "responsible", "action")
# Columns a plan matrix often carries that the import does not need (read, not stored).
IGNORED = (
    "recommendation text",
    "text",
    "recommending state",
    "recommending states",
    "response",
    "position",
    "theme",
    "themes",
    "status",
    "remarks",
    "comments",
    "budget",
    "cost",
)


def plan_key(header) -> str:
    """A header as plan headers are compared: `header_key`, punctuation ignored ("No." is
    "no"; Khmer signs are marks, not punctuation, and stay)."""
    text = "".join(" " if unicodedata.category(c)[0] == "P" else c for c in header_key(header))
    return " ".join(text.split())


_ALIASES = {plan_key(a): column for column, (_m, aliases) in COLUMNS.items() for a in aliases}
_ALIASES.update({plan_key(c): c for c in COLUMNS})
_IGNORED = {plan_key(h) for h in IGNORED}


def column_of(header: str) -> str | None:
    return _ALIASES.get(plan_key(header))


def is_plan_row(row: list) -> bool:
    """Whether a row of cells is a plan matrix's header row."""
    found = {column_of(cell) for cell in row if cell is not None and str(cell).strip()}
    return set(REQUIRED) <= found


def import_path(
    store_dir,
    path: Path,
    writer: Writer,
    *,
    sur: str | None = None,
    cycle: int | None = None,
    name: str | None = None,
) -> tuple[list[str], list[str]]:
    """Import a plan file; returns (new item ids, notes such as ignored columns). Raises
    InputError listing every problem (the store unchanged) or NotAllowed."""
    require_writer(writer)
    path = Path(path)
    name = progress_import.file_name(name or path.name)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(
            [Problem(name, None, None, _("cannot read the file ({reason})", reason=error.strerror))]
        ) from None
    if size > progress_import.MAX_BYTES:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    None,
                    _("file is {size} MB; the limit is 10 MB: split it", size=f"{size / 1e6:.1f}"),
                )
            ]
        )
    frame, problems = progress_import._table(path, name)
    if frame is None:
        raise progress_import._fail(problems)
    header_row = frame.attrs["header_row"]
    mapping, notes = {}, []
    for header in frame.columns:
        column = column_of(header)
        if column is None:
            if plan_key(header) not in _IGNORED:
                notes.append(
                    _("column {header} is not part of a plan: not read", header=repr(header))
                )
            continue
        if column in mapping.values():
            first = next(h for h, c in mapping.items() if c == column)
            problems.append(
                Problem(
                    name, header_row, header, _("is the same column as {first}", first=repr(first))
                )
            )
            continue
        mapping[header] = column
    missing = [c for c in REQUIRED if c not in mapping.values()]
    for column in missing:
        accepted = ", ".join(COLUMNS[column][1][:4])
        problems.append(
            Problem(
                name,
                header_row,
                column,
                _("missing column (a header such as {accepted})", accepted=accepted),
            )
        )
    if missing or any(p.row == header_row for p in problems):
        raise progress_import._fail(problems)
    frame = frame[list(mapping)].rename(columns=mapping)
    if frame.empty:
        problems.append(Problem(name, None, None, _("no rows to import")))
    problems += [
        Problem(name, n, None, _("duplicate of row {row}", row=first))
        for n, first in progress_import._duplicate_rows(frame)
    ]
    problems += progress.check_formulas(name, frame.to_dict(orient="records"), list(frame.index))
    records = []
    for number, record in zip(frame.index, frame.to_dict(orient="records"), strict=True):
        if not str(record.get("sur", "")).strip():
            record["sur"] = sur or ""
        if not str(record.get("source_document", "")).strip():
            record["source_document"] = name
        records.append((number, record))
    rows, invalid = progress_import.validate_records(name, records, PlanItemIn)
    problems += invalid
    if problems:
        ordered = sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
        raise _in_file_terms(progress_import._fail(ordered), mapping)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        ids = write.write_items(store_dir, rows, writer, file=name, sha256=sha256, cycle=cycle)
    except InputError as error:  # said with the file's own headers
        raise _in_file_terms(error, mapping) from None
    return ids, notes


def _in_file_terms(error: InputError, mapping: dict[str, str]) -> InputError:
    printed = {column: header for header, column in mapping.items()}
    return InputError(
        [Problem(p.file, p.row, printed.get(p.column, p.column), p.message) for p in error.problems]
    )


# -- the template ----------------------------------------------------------------------------------

TEMPLATE_COLUMNS = [
    "rec_ids",
    "responsible",
    "supporting",
    "action",
    "indicator",
    "baseline",
    "target",
    "timeline",
    "source_document",
]


def template_csv() -> bytes:
    return (",".join(TEMPLATE_COLUMNS) + "\n").encode("utf-8")


def template_xlsx(translate=lambda s: s) -> bytes:
    """An empty plan sheet and its data dictionary (with the other header names accepted)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "plan"
    sheet.append(TEMPLATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 24
    about = book.create_sheet("data dictionary")
    about.append(["column", "meaning", "other headers accepted"])
    for column, (meaning, aliases) in COLUMNS.items():
        about.append([column, translate(meaning), "; ".join(aliases)])
    for row in about.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 70
    about.column_dimensions["C"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
