"""Exports of whatever the current filter selects: CSV and Excel, safe to open in a spreadsheet.

Every text cell goes through `safe_cell`, which neutralises spreadsheet formula injection as the
OWASP "CSV Injection" guidance says: a cell starting with `=`, `+`, `-`, `@`, tab or carriage
return gets a leading single quote, so a spreadsheet shows it as text instead of running it. The
same is done inside a cell after every `,`, `;`, tab or line break (spaces after it included):
a program that splits on another list separator than ours (Excel in French uses `;`), or does
not honour our quotes, would otherwise start a new cell there with a formula. And the CSV quotes
every text field. Numbers stay numbers. The Excel file also writes every string explicitly as a
string cell, so nothing in it can become a formula.
"""

from __future__ import annotations

import csv
import io
import numbers
import re
from datetime import date

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import queries, schema, taxonomy
from .filters import STATUS_CHOICES, Filters
from .i18n import N_, _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A formula start right after a separator or line break inside a cell (spaces may come between;
# some programs trim them): it becomes a cell's start when the text is split there.
_INNER_FORMULA = re.compile(r"([,;\t\r\n][ \u00a0]*)(?=[=+\-@])")

# The documents the loaded cycles come from (shown in the Excel file and the PDF brief's footer).
SOURCES = N_("A/HRC/13/4; A/HRC/26/16 and Add.1; see data/sources/PROVENANCE.md")
# The reports SOURCES names; any other loaded report makes `sources_line` list the reports itself.
SOURCES_REPORTS = frozenset({"A/HRC/13/4", "A/HRC/26/16"})

# Columns of `export_frame`, in order: (column header, what it holds). English message ids,
# translated by `dictionary()`; "{role}" rows stand for one column per stakeholder role.
DICTIONARY: list[tuple[str, str]] = [
    (N_("Id"), N_("The tracker's identifier: State under review, cycle and paragraph number.")),
    (N_("Cycle"), N_("The UPR cycle: 1 (reviewed 2009), 2 (2014), 3 (2019), 4 (2024).")),
    (N_("Paragraph"), N_("The paragraph number in the UN Working Group report.")),
    (
        N_("Recommendation"),
        N_(
            "The official text as printed, with the recommending State(s) in brackets; a "
            "paragraph can group recommendations of several States."
        ),
    ),
    (N_("Recommending States"), N_("Every State credited in the paragraph, separated by “; ”.")),
    (
        N_("Response"),
        N_(
            "The current position of the State under review: Supported, Partially supported, "
            "Noted or Pending."
        ),
    ),
    (
        N_("Themes"),
        N_("Themes from the tracker's transparent classifier (or a curator), separated by “; ”."),
    ),
    (
        N_("Action category"),
        N_("UPR Info's scale of the action asked for, from 1 (minimal) to 5 (specific)."),
    ),
    (
        N_("Evidence items"),
        N_("How many dated, sourced pieces of implementation evidence bear on it."),
    ),
    (
        N_("Status: {role}"),
        N_(
            "The latest implementation status given by the stakeholder role {role}; “Not "
            "assessed” where that role has not assessed it."
        ),
    ),
]
ROLE_PLACEHOLDER = "{role}"

# Excel column widths (characters) by column position in DICTIONARY; status columns use the last.
WIDTHS = (15, 7, 10, 80, 30, 14, 40, 20, 10, 18)
WRAPPED = {3, 4, 6}  # the long text columns: recommendation, States, themes


def safe_cell(value):
    """`value` safe for a spreadsheet: text that could start a formula gets a leading `'`.

    Numbers (including negative ones) and missing values are returned unchanged; only text is
    ever altered.
    """
    if not isinstance(value, str):
        return value
    value = _INNER_FORMULA.sub(r"\1'", value)
    if value.lstrip(" \u00a0").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(safe_cell)


def to_csv(frame: pd.DataFrame) -> bytes:
    """The frame as CSV bytes: every text field quoted and neutralised, numbers as numbers."""
    text = _safe_frame(frame).to_csv(
        index=False, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC
    )
    # UTF-8 with a byte-order mark: without the BOM, Excel reads a CSV in the machine's legacy
    # code page, which garbles Khmer, typographic quotes and dashes, and accented State names.
    return text.encode("utf-8-sig")


def _excel_value(value):
    """A cell value openpyxl writes as a plain value: NA -> empty, numpy -> Python."""
    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, date):
        return value
    # Control characters other than tab and line breaks are not allowed in an XLSX file.
    return ILLEGAL_CHARACTERS_RE.sub("", safe_cell(str(value)))


def _put(sheet, row: int, column: int, value):
    cell = sheet.cell(row=row, column=column)
    value = _excel_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # always a string: never a formula, whatever it starts with
    return cell


def _sheet_title(title: str) -> str:
    """A (translated) title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet"


def to_xlsx(
    frame: pd.DataFrame,
    *,
    description: str,
    data_version: str,
    dictionary: list[tuple[str, str]],
    exported: date | None = None,
    sources: str | None = None,
) -> bytes:
    """An Excel workbook: the rows, and a sheet saying what was exported and what columns mean.

    `sources` defaults to SOURCES (pass `sources_line(con)` to follow the loaded cycles).
    """
    book = Workbook()
    rows = book.active
    rows.title = _sheet_title(_("Recommendations"))
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for c, name in enumerate(frame.columns, start=1):
        _put(rows, 1, c, name).font = bold
        width = WIDTHS[min(c - 1, len(WIDTHS) - 1)]
        rows.column_dimensions[get_column_letter(c)].width = width
    for r, record in enumerate(frame.itertuples(index=False, name=None), start=2):
        for c, value in enumerate(record, start=1):
            _put(rows, r, c, value).alignment = wrap if c - 1 in WRAPPED else top
    rows.freeze_panes = "A2"
    if len(frame.columns):
        rows.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"

    about = book.create_sheet(_sheet_title(_("About this export")))
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 100
    _put(about, 1, 1, _("UPR Implementation Tracker: export")).font = Font(bold=True, size=14)
    facts = [
        (_("Selection"), description),
        (_("Data version"), data_version),
        (_("Exported on"), (exported or date.today()).isoformat()),
        (_("Sources"), sources or _(SOURCES)),
        (_("Rows"), len(frame)),
    ]
    for r, (label, value) in enumerate(facts, start=3):
        _put(about, r, 1, label).font = bold
        _put(about, r, 2, value).alignment = wrap
    start = 3 + len(facts) + 1
    _put(about, start, 1, _("Data dictionary")).font = Font(bold=True, size=12)
    _put(about, start + 1, 1, _("Column")).font = bold
    _put(about, start + 1, 2, _("Meaning")).font = bold
    for r, (column, meaning) in enumerate(dictionary, start=start + 2):
        _put(about, r, 1, column).alignment = top
        _put(about, r, 2, meaning).alignment = wrap

    book.properties.title = _("UPR Implementation Tracker: export")
    book.properties.creator = _("UPR Implementation Tracker")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dictionary() -> list[tuple[str, str]]:
    """The columns of `export_frame` and their meaning, translated, one row per column."""
    rows = []
    for column, meaning in DICTIONARY:
        if ROLE_PLACEHOLDER in column:
            for label in schema.ROLES.values():
                rows.append((_(column, role=_(label)), _(meaning, role=_(label))))
        else:
            rows.append((_(column), _(meaning)))
    return rows


def _labels(vocabulary: dict[str, str]):
    return lambda code: (
        _(vocabulary[code]) if isinstance(code, str) and code in vocabulary else code
    )


def _themes(codes) -> str:
    if not isinstance(codes, list | tuple | np.ndarray) or len(codes) == 0:
        return ""  # no theme tag: the query gives NA
    return "; ".join(_(taxonomy.THEMES.get(code, code)) for code in codes)


def _action(code) -> str:
    if not isinstance(code, str):
        return ""
    return _("{code}: {label}", code=code, label=_(taxonomy.ACTION_CATEGORIES.get(code, code)))


def export_frame(con, f: Filters) -> pd.DataFrame:
    """Every recommendation the filters select (no row cap), with readable columns.

    Columns and their meaning: `dictionary()`.
    """
    raw = queries.recommendations(con, f, limit=queries.count(con, f))
    headers = [column for column, _meaning in dictionary()]
    values = [
        raw["rec_id"],
        raw["cycle"].astype("int64"),
        raw["paragraph"],
        raw["text"],
        raw["states"].fillna(""),
        raw["response"].map(_labels(schema.RESPONSES)),
        raw["themes"].map(_themes),
        raw["action_category"].map(_action),
        raw["evidence"].astype("int64"),
    ]
    for role in schema.ROLES:
        status = raw[f"status_{role}"].map(_labels(STATUS_CHOICES))
        values.append(status.fillna(_(STATUS_CHOICES[schema.NOT_ASSESSED])))
    return pd.DataFrame(
        {header: list(column) for header, column in zip(headers, values, strict=True)}
    )


def sources_line(con) -> str:
    """The sources of the loaded cycles, for a footer: SOURCES while it names them all."""
    loaded = queries.coverage(con)
    loaded = loaded[loaded["loaded"] > 0]
    reports = {str(r) for r in loaded["wg_report"].dropna()}
    if reports <= SOURCES_REPORTS:
        return _(SOURCES)
    return _("{reports}; see data/sources/PROVENANCE.md", reports="; ".join(sorted(reports)))
