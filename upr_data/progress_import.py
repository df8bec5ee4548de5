"""Bulk import of assessments or evidence from the CSV/XLSX templates, and the templates themselves.

The same importer serves the Data page and `python -m upr_data import PATH`. A file is read
through ingest.workbook, like the recommendations importer: a workbook's declared sizes are
checked before anything parses it (uncompressed size, compression ratio, the farthest cell and
declared dimension, rows, columns, cell length), CSV text is decoded in whatever encoding a
spreadsheet saved it. Then the file is checked as a whole (columns, formulas, control characters,
every row, against the store) and only then written, all or nothing, with its name and SHA-256 in
the audit table. Every problem names the file, the row (as the spreadsheet numbers it) and the
column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError

from . import progress
from .access import Writer, require_writer
from .i18n import N_, _
from .ingest import workbook
from .problems import InputError, Problem

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000  # rows of one template file
# A template has a dozen columns and at most MAX_ROWS rows: its workbook is checked against
# these before anything parses it.
LIMITS = workbook.Limits(
    uncompressed=100_000_000, rows=MAX_ROWS + 1_000, columns=200, cells=2_000_000, exact=True
)
MAX_PROBLEMS = 500  # problems listed before the rest are counted
TEMPLATE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")

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
        "source_location": N_(
            "Optional: where in the source it says so, e.g. section 2, paragraph 1"
        ),
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
        "source_kind": N_("Who published the source: government, un, civil_society or media"),
        "publisher": N_("Optional: the publisher (and the original, for a reproduction)"),
        "date_note": N_("Optional: how the date was checked"),
        "link_reason": N_("Optional: why it bears on the recommendations named, in one line"),
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


def file_name(name: str) -> str:
    """An uploaded file's name as messages show it and as it is kept: no folders, no control
    characters, at most about 80 characters (the extension kept)."""
    base = Path(str(name).replace("\\", "/")).name
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    base = base.strip().lstrip(".") or "upload"
    if len(base) > 80:
        stem, dot, suffix = base.rpartition(".")
        suffix = suffix if dot and len(suffix) <= 5 else ""
        base = base[:70] + "…" + ("." + suffix if suffix else "")
    return base


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person typed. A date is YYYY-MM-DD; a date with a time of
    day keeps its time, so that the date columns can say so; a whole number has no '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _rows_of_csv(path: Path, name: str) -> tuple[list[tuple[int, list]], list[Problem]]:
    try:
        _decoded, rows = workbook.csv_rows(path, allow_nul=True)
    except workbook.UnreadableFile as error:
        return [], [Problem(name, None, None, str(error))]
    return [(number, list(cells)) for number, cells in rows], []


def _rows_of_workbook(path: Path, name: str) -> tuple[list[tuple[int, list]], list[Problem], dict]:
    """The first visible sheet's rows (cells as the reader gives them), the problems, and what
    else is known: the (row, column number) of each formula cell (A = 1), the column of the first
    cell, the sheet's name and how many sheets are hidden."""
    try:
        sheets = workbook.workbook_sheets(path, LIMITS)  # bounds checked before parsing
    except workbook.UnreadableFile as error:
        return [], [Problem(name, None, None, str(error))], {}
    except OSError as error:
        return [], [Problem(name, None, None, progress.write_failure(error))], {}
    if not sheets:
        return [], [Problem(name, None, None, _("the workbook has no sheet"))], {}
    visible = [(sheet, rows) for sheet, rows in sheets if sheet.visible]
    if not visible:
        hidden = _("every sheet of the workbook is hidden: unhide the sheet with the rows and save")
        problem = Problem(name, None, None, hidden)
        return [], [problem], {}
    sheet, rows = visible[0]
    try:
        formulas = workbook.formula_cells(path, sheet.name)
    except workbook.UnreadableFile as error:
        return [], [Problem(name, None, None, str(error))], {}
    about = {
        "formulas": set(formulas),
        "first_column": sheet.first_column,
        "sheet": sheet.name,
        "hidden": sum(1 for s, _rows in sheets if not s.visible),
    }
    return [(number, list(cells)) for number, cells in rows], [], about


def _table(path: Path, name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The template's rows as text, indexed by their spreadsheet row number, with the problems
    found while reading (formulas, control characters, dates with a time)."""
    suffix = path.suffix.lower()
    if suffix not in TEMPLATE_SUFFIXES:
        return None, [
            Problem(
                name,
                None,
                None,
                _(
                    "assessments and evidence are imported from .xlsx or .csv files, not "
                    "{suffix}: save it as an Excel workbook (.xlsx) or 'CSV UTF-8'",
                    suffix=suffix or _("a file without extension"),
                ),
            )
        ]
    about: dict = {}
    if suffix in (".xlsx", ".xlsm"):
        rows, problems, about = _rows_of_workbook(path, name)
    else:
        rows, problems = _rows_of_csv(path, name)
    if problems:
        return None, problems
    rows = [(n, cells) for n, cells in rows if any(_cell_text(v).strip() for v in cells)]
    if not rows:
        where = _("sheet {sheet}", sheet=repr(about["sheet"])) if about else _("the file")
        return None, [Problem(name, None, None, _("{where} is empty: no header row", where=where))]
    header_row, header_cells = rows[0]
    header = [_cell_text(v).strip() for v in header_cells]
    body = rows[1:]
    if len(body) > MAX_ROWS:
        return None, [
            Problem(
                name,
                None,
                None,
                _(
                    "the file has {n} rows; the limit is {limit}: split it",
                    n=f"{len(body):,}",
                    limit=f"{MAX_ROWS:,}",
                ),
            )
        ]
    first_column = about.get("first_column", 1)
    formulas = about.get("formulas", set())
    problems = []
    records, numbers = [], []
    for number, cells in body:
        record = {}
        for index, column in enumerate(header):
            value = cells[index] if index < len(cells) else None
            label = column or workbook.column_letters(first_column + index)
            if (number, first_column + index) in formulas:
                problems.append(
                    Problem(name, number, label, _("is a formula; type the value instead"))
                )
            text = _cell_text(value)
            control = _control_character(text)
            if control:
                problems.append(Problem(name, number, label, control))
            if column:
                record[column] = text
        extra = [_cell_text(v) for v in cells[len(header) :] if _cell_text(v).strip()]
        if extra:
            problems.append(
                Problem(
                    name,
                    number,
                    workbook.column_letters(first_column + len(header)),
                    _("holds a value beyond the last column of the header row"),
                )
            )
        records.append(record)
        numbers.append(number)
    frame = pd.DataFrame.from_records(records, columns=[c for c in header if c], index=numbers)
    frame = frame.fillna("")
    frame.attrs.update(header_row=header_row, sheet=about.get("sheet"),
                       hidden=about.get("hidden", 0))  # fmt: skip
    return frame, problems


def _control_character(text: str) -> str | None:
    for position, char in enumerate(text, start=1):
        if char not in "\t\n\r" and unicodedata.category(char) == "Cc":
            return _(
                "contains a control character ({code}) at character {position}: remove it",
                code=f"U+{ord(char):04X}",
                position=position,
            )
    return None


def _validate(name: str, frame: pd.DataFrame, model: type[BaseModel]):
    """Every row validated; (row number, model) pairs and the problems, by row and column."""
    fields = list(model.model_fields)
    records = [
        (number, {k: record.get(k) for k in fields})
        for number, record in zip(frame.index, frame.to_dict(orient="records"), strict=True)
    ]
    return validate_records(name, records, model)


def validate_records(name: str, records: list[tuple[int, dict]], model: type[BaseModel]):
    """(row number, record) pairs validated: (row number, model) pairs and the problems."""
    rows, problems = [], []
    for number, record in records:
        try:
            rows.append((int(number), model.model_validate(record)))
        except ValidationError as error:
            for detail in error.errors():
                column = str(detail["loc"][0]) if detail["loc"] else None
                message = detail["msg"].removeprefix("Value error, ")
                problems.append(Problem(name, int(number), column, message))
    return rows, problems


def _fail(problems: list[Problem]) -> InputError:
    """Every problem once (reading and validating may both see a control character), the list
    cut at MAX_PROBLEMS."""
    problems = list(dict.fromkeys(problems))
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [
            Problem(problems[0].file, None, None, _("and {n} more problems", n=f"{more:,}"))
        ]
    return InputError(problems)


def import_path(
    store_dir, path: Path, writer: Writer, *, name: str | None = None
) -> tuple[str, list[str]]:
    """Import a template file; returns (kind, new ids). Raises InputError listing every problem
    (the store is unchanged) or NotAllowed. `name` is the file's name as the user knows it."""
    require_writer(writer)
    path = Path(path)
    name = file_name(name or path.name)
    try:
        size = path.stat().st_size
    except OSError as error:
        problem = Problem(
            name, None, None, _("cannot read the file ({reason})", reason=error.strerror)
        )
        raise InputError([problem]) from None
    if size > MAX_BYTES:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    None,
                    _(
                        "file is {size} MB; the limit is 10 MB: split it",
                        size=f"{size / 1e6:.1f}",
                    ),
                )
            ]
        )
    frame, read_problems = _table(path, name)
    if frame is None:
        raise _fail(read_problems)
    kind = detect(list(frame.columns))
    header_row = frame.attrs["header_row"]
    if kind is None:
        hidden = " " + _("(hidden sheets are not read)") if frame.attrs.get("hidden") else ""
        if frame.attrs.get("sheet"):
            message = _(
                "sheet {sheet} is not an assessments or evidence template{hidden}: its header "
                "row must be the template's (download one on the Data page)",
                sheet=repr(frame.attrs["sheet"]),
                hidden=hidden,
            )
        else:
            message = _(
                "is not an assessments or evidence template{hidden}: its header row must be the "
                "template's (download one on the Data page)",
                hidden=hidden,
            )
        raise InputError(
            [
                Problem(
                    name,
                    header_row,
                    None,
                    message,
                )
            ]
        )
    frame.columns = [c.strip().lower() for c in frame.columns]
    expected = progress.columns(kind)
    problems = [
        Problem(name, header_row, c, _("missing column")) for c in expected if c not in frame
    ]
    problems += [
        Problem(name, header_row, c, _("unknown column")) for c in frame if c not in expected
    ]
    if problems:  # the rows cannot be read against the wrong columns
        raise _fail(read_problems + problems)
    problems = read_problems + [
        Problem(name, n, None, _("duplicate of row {row}", row=first))
        for n, first in _duplicate_rows(frame)
    ]
    if frame.empty:
        problems.append(Problem(name, None, None, _("no rows to import")))
    problems += progress.check_formulas(name, frame.to_dict(orient="records"), list(frame.index))
    rows, invalid = _validate(name, frame, progress.KINDS[kind])
    problems += invalid
    if problems:
        raise _fail(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    write = progress.write_assessments if kind == "assessments" else progress.write_evidence
    return kind, write(store_dir, rows, writer, file=name, sha256=sha256)


def import_progress(store_dir, name: str, data: bytes, writer: Writer) -> tuple[str, list[str]]:
    """Import a template file's bytes (see import_path)."""
    require_writer(writer)
    shown = file_name(name)
    if len(data) > MAX_BYTES:
        raise InputError(
            [
                Problem(
                    shown,
                    None,
                    None,
                    _(
                        "file is {size} MB; the limit is 10 MB: split it",
                        size=f"{len(data) / 1e6:.1f}",
                    ),
                )
            ]
        )
    suffix = Path(shown).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ".bin"
    try:
        folder = tempfile.mkdtemp(prefix="upr-progress-")
    except OSError as error:
        raise InputError([Problem(shown, None, None, progress.write_failure(error))]) from None
    try:
        path = Path(folder) / f"upload{suffix}"
        try:
            path.write_bytes(data)
        except OSError as error:
            raise InputError([Problem(shown, None, None, progress.write_failure(error))]) from None
        return import_path(store_dir, path, writer, name=shown)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _duplicate_rows(frame: pd.DataFrame) -> list[tuple[int, int]]:
    first: dict[tuple, int] = {}
    found = []
    for number, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        key = tuple(str(v).strip().lower() for v in row)
        if key in first:
            found.append((int(number), first[key]))
        else:
            first[key] = int(number)
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
