"""Reading tables out of .xlsx workbooks and CSV files, and finding the sheet and header row.

A workbook may hold several sheets and a title block above the header: the header is the row
(among the first `HEADER_SCAN` of each sheet) with the most required columns of the layout. When
no sheet has them all, the problem names every sheet found and the headers it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from ..problems import Problem
from .headers import Column, HeaderMap, map_headers, score
from .model import cell_text
from .workbook import EXCEL_SUFFIXES, csv_rows, rows_of

HEADER_SCAN = 10


@dataclass
class Table:
    sheet: str | None  # None for a CSV file
    header_row: int  # spreadsheet row number of the header (1-based)
    headers: list
    mapping: HeaderMap

    def where(self) -> str:
        return _sheet_label(self.sheet)


def is_excel(path: Path) -> bool:
    return path.suffix.lower() in EXCEL_SUFFIXES


def sheet_headers(path: Path) -> list[tuple[str | None, list[tuple[int, list]]]]:
    """(sheet name, its first HEADER_SCAN (row number, cells)) of each sheet; (None, ...) for a
    CSV. Raises workbook.UnreadableFile."""
    return [(name, list(rows[:HEADER_SCAN])) for name, rows in rows_of(path)]


def _best_header(head: list[tuple[int, list]], columns: Sequence[Column]) -> tuple[int, int]:
    """(position within head, required columns found) of the best header candidate."""
    best = (0, -1)
    for i, (_number, row) in enumerate(head):
        found = score(row, columns)
        if found > best[1]:
            best = (i, found)
    return best


def find_table(
    path: Path, columns: Sequence[Column], layout: str
) -> tuple[Table | None, list[Problem]]:
    """The sheet and header row holding the layout's columns, or the problems saying why not."""
    file = path.name
    try:
        sheets = sheet_headers(path)
    except Exception as error:  # a corrupt or mislabelled file: say what the reader said
        return None, [Problem(file, None, None, _("cannot read the file: {error}", error=error))]
    required = [c for c in columns if c.required]
    candidates = []
    for name, head in sheets:
        index, found = _best_header(head, columns)
        number, headers = head[index] if head else (1, [])
        candidates.append((found, name, number, headers))
    if not candidates:
        return None, [Problem(file, None, None, _("the workbook has no sheet"))]
    found, name, header_row, headers = max(candidates, key=lambda c: c[0])
    if found == len(required):
        table = Table(name, header_row, list(headers), map_headers(headers, columns))
        return table, []
    if found * 2 < len(required):
        described = "; ".join(
            _("{sheet} (headers: {headers})", sheet=_sheet_label(n), headers=_headers_label(h))
            for _found, n, _row, h in candidates
        )
        wanted = ", ".join(c.label for c in required)
        return None, [
            Problem(
                file,
                None,
                None,
                _(
                    "no sheet has the {layout} columns ({wanted}); found: {described}",
                    layout=layout,
                    wanted=wanted,
                    described=described,
                ),
            )
        ]
    mapping = map_headers(headers, columns)
    problems = mapping.problems(file, header_row)
    if name is not None:
        problems = [
            Problem(
                p.file,
                p.row,
                p.column,
                _("{problem} (sheet {sheet})", problem=p.message, sheet=repr(name)),
            )
            for p in problems
        ]
    return None, problems


def _sheet_label(name: str | None) -> str:
    return _("sheet {sheet}", sheet=repr(name)) if name else _("the file")


def _headers_label(row: list, limit: int = 12) -> str:
    names = [cell_text(v) for v in row if cell_text(v)]
    if not names:
        return _("none")
    return ", ".join(names[:limit]) + (", ..." if len(names) > limit else "")


def data_rows(
    path: Path, table: Table, roles: Iterable[str] | None = None
) -> Iterator[tuple[int, list]]:
    """(spreadsheet row number, cells) of every row below the header."""
    del roles  # every column is decoded by the reader anyway
    for name, rows in rows_of(path):
        if name == table.sheet:
            for number, row in rows:
                if number > table.header_row:
                    yield number, row


def open_layout(path: Path, columns: Sequence[Column], layout: str, result) -> Table | None:
    """Find the layout's table in `path` and record its header problems and notes on `result`
    (a ParsedRecommendations); None when the table cannot be read at all."""
    table, problems = find_table(path, columns, layout)
    if table is None:
        result.problems = problems
        return None
    result.problems.extend(table.mapping.problems(path.name, table.header_row))
    result.notes.extend(table.mapping.notes(path.name))
    if table.sheet is None:
        result.notes.append(csv_rows(path)[0].note(path.name))
    return table
