"""Reading the files people really hold: spreadsheets (.xlsx, .xls, .ods) and CSV text in any of
the encodings and line ends spreadsheet programs save.

Spreadsheets go through one reader, python-calamine (Rust's calamine: Excel 97 `.xls`, Office
Open XML and OpenDocument alike). Before it parses anything, a zipped workbook's declared sizes
are checked (`check_zip`): a small file may unpack to gigabytes, or name a cell so far out that
the reader would allocate a grid of billions of cells.

CSV bytes are decoded by charset-normalizer among the encodings spreadsheets write (UTF-8 with or
without BOM, UTF-16, Windows-1252, Mac Roman); the encoding it chose is reported to the user.
Python's csv module then splits the text, taking LF, CRLF and the old Mac CR alike as line ends.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.parsers import expat

import charset_normalizer
import python_calamine

from ..i18n import _

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")

# Encodings a spreadsheet program saves CSV in (charset-normalizer's names).
CSV_ENCODINGS = ["utf_8", "utf_16", "cp1252", "mac_roman"]
ENCODING_LABELS = {
    "utf_8": "UTF-8",
    "utf_8_sig": "UTF-8 with BOM",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
    "cp1252": "Windows-1252",
    "mac_roman": "Mac Roman",
    "ascii": "ASCII",
}

# Bounds checked before a workbook is parsed. The UHRI full export (all UN recommendations) is
# ~300k rows of ~20 columns: these leave room for it and refuse what only an attack needs.
MAX_UNCOMPRESSED = 1_500_000_000  # bytes, all parts of a zipped workbook together
MAX_RATIO = 200  # uncompressed / compressed, per part (text XML compresses 5-20 times)
MAX_COLUMNS = 1_000
MAX_ROWS = 2_000_000
MAX_CELLS = 60_000_000  # the rectangle the reader allocates: rows x columns
MAX_CELL_CHARS = 100_000
# Python's csv module refuses a field over 128 KiB with a message that names no cell: let it
# read any field a 10 MB file can hold, so that `_csv_rows` names the row and column itself.
csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))


@dataclass(frozen=True)
class Limits:
    """Bounds a zipped workbook is checked against before anything parses it."""

    uncompressed: int = MAX_UNCOMPRESSED
    ratio: int = MAX_RATIO
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS
    exact: bool = False  # also count every row and cell of the sheet XML (not only references)


DEFAULT_LIMITS = Limits()
# A file uploaded on the Data page is at most 10 MB: a real export of that size unpacks to some
# tens of MB. These bounds keep a hostile upload to a few hundred MB of memory at most.
UPLOAD_LIMITS = Limits(uncompressed=150_000_000, rows=500_000, cells=5_000_000, exact=True)


class UnreadableFile(ValueError):
    """A file that cannot be read safely or at all; the message says why in plain words."""


@dataclass(frozen=True)
class Sheet:
    name: str
    visible: bool
    first_column: int = 1  # spreadsheet column number (A = 1) of the first cell of each row


def column_letters(number: int) -> str:
    """1 -> 'A', 28 -> 'AB'."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "?"


# -- spreadsheets --------------------------------------------------------------------------------

# A cell reference (letters and digits: a row's r="7" has no letters) and the declared dimension.
# Both start with a literal, so the scan runs at the speed of a byte search; text that happens to
# look like them only makes the check stricter.
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_DIMENSION = re.compile(rb'dimension\s[^>]*?\bref="(?:[A-Z]+[0-9]+:)?([A-Z]{1,3})([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def check_zip(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zipped workbook (.xlsx, .ods) whose parts would unpack too large, or whose
    worksheets name cells beyond the bounds; reads the declared sizes and streams the sheet XML
    once, never building it in memory."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableFile(
            _("not a valid spreadsheet (damaged zip: {error})", error=error)
        ) from None
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if total > limits.uncompressed:
            raise UnreadableFile(
                _(
                    "the workbook unpacks to {size} MB; the limit is {limit} MB",
                    size=f"{total / 1e6:,.0f}",
                    limit=f"{limits.uncompressed / 1e6:,.0f}",
                )
            )
        for info in infos:
            if info.file_size > 1_000_000 and info.file_size > limits.ratio * max(
                info.compress_size, 1
            ):
                raise UnreadableFile(
                    _(
                        "part {part} unpacks {ratio} times its size: "
                        "refused as a decompression bomb",
                        part=repr(info.filename),
                        ratio=info.file_size // max(info.compress_size, 1),
                    )
                )
        for info in infos:
            if re.match(r"^xl/worksheets/[^/]+\.xml$", info.filename):
                if limits.exact:
                    _count_sheet_extent(archive, info.filename, limits)
                _check_sheet_extent(archive, info.filename, limits)
            elif info.filename == "content.xml" and limits.exact:
                _count_ods_extent(archive, info.filename, limits)


def _beyond(name: str, column: int, row: int, limits: Limits) -> UnreadableFile:
    sheet = name.rsplit("/", 1)[-1]
    return UnreadableFile(
        _(
            "{sheet} declares or uses a cell at column {column}, row {row}: beyond the limits "
            "({columns} columns, {rows} rows, {cells} cells)",
            sheet=sheet,
            column=column,
            row=row,
            columns=limits.columns,
            rows=f"{limits.rows:,}",
            cells=f"{limits.cells:,}",
        )
    )


def _too_far(column: int, row: int, limits: Limits) -> bool:
    return column > limits.columns or row > limits.rows or column * row > limits.cells


def _check_sheet_extent(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    max_col = max_row = 0
    tail = b""
    with archive.open(name) as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            for pattern in (_DIMENSION, _CELL_REF):
                for letters, digits in pattern.findall(data):
                    max_col = max(max_col, _column_number(letters))
                    max_row = max(max_row, int(digits))
            tail = data[-256:]
            if _too_far(max_col, max_row, limits):
                raise _beyond(name, max_col, max_row, limits)


_ROW_NUMBER = re.compile(rb'\sr="([0-9]{1,7})"')
_CELL_TAGS = (b"<c ", b"<c>", b"<c/", b":c ", b":c>")


def _count_sheet_extent(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Rows and cells of an .xlsx sheet counted with byte counts, not only the references: a row
    or cell without a reference follows the previous one, so a sheet can be made large without
    naming a far cell. Where such rows or cells are found, each row's cells are counted to find
    the widest."""
    rows = cells = 0
    row = width = 0  # the reader's current row; the widest row, counting unreferenced cells
    for region in _xml_regions(archive, name):
        here_rows = region.count(b"<row") + region.count(b":row")
        here_cells = sum(region.count(tag) for tag in _CELL_TAGS)
        rows, cells = rows + here_rows, cells + here_cells
        if rows > limits.rows or cells > limits.cells:
            raise UnreadableFile(
                _(
                    "{sheet} holds {rows} rows and {cells} cells or more: "
                    "beyond the limits ({max_rows} rows, {max_cells} cells)",
                    sheet=name.rsplit("/", 1)[-1],
                    rows=f"{rows:,}",
                    cells=f"{cells:,}",
                    max_rows=f"{limits.rows:,}",
                    max_cells=f"{limits.cells:,}",
                )
            )
        if here_rows + here_cells > region.count(b' r="'):  # some carry no reference
            row, width = _walk_rows(region, row, width)
            if _too_far(width, row, limits):
                raise _beyond(name, width, row, limits)


def _xml_regions(archive: zipfile.ZipFile, name: str):
    """A zipped XML part in pieces of about 1 MiB, each cut just before a "<", so that no tag the
    scans look for is split between two pieces (never the whole part in memory)."""
    carry = b""
    with archive.open(name) as handle:
        while True:
            chunk = handle.read(1 << 20)
            data = carry + chunk
            cut = data.rfind(b"<") if chunk else len(data)
            cut = len(data) if cut <= 0 else cut
            yield data[:cut]
            carry = data[cut:]
            if not chunk:
                return


def _walk_rows(region: bytes, row: int, width: int) -> tuple[int, int]:
    """(current row, widest row) after `region`, a row's width counted as its cells (the
    furthest reference plus every cell without one: never less than the reader's)."""
    for index, segment in enumerate(region.split(b"<row")):
        if index > 0:  # a new row starts the segment
            number = _ROW_NUMBER.search(segment, 0, max(segment.find(b">"), 0))
            row = int(number.group(1)) if number else row + 1
        counted = sum(segment.count(tag) for tag in _CELL_TAGS)
        furthest = max((_column_number(m.group(1)) for m in _CELL_REF.finditer(segment)), default=0)
        width = max(width, counted + furthest)
    return row, width


_ODS_ROW = re.compile(rb"<table:table-row(?=[\s>/])")
_ODS_TABLE_START = re.compile(rb"<table:table(?=[\s>])")
_ODS_CELLS = (b"<table:table-cell", b"<table:covered-table-cell")
_ODS_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="([0-9]{1,9})"')
_ODS_ROWS_REPEATED = re.compile(rb'number-rows-repeated="([0-9]{1,9})"')
_ODS_VALUED = (b"value-type", b"</table:table-cell>", b"</table:covered-table-cell>")


def _count_ods_extent(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """The extent of each table of an OpenDocument spreadsheet as the reader expands it: a cell
    or row may say it repeats a million times. Runs of empty cells or rows (LibreOffice writes
    them to the sheet's edge) do not count. Byte searches and one step per row: no XML parser."""
    table = {"row": 0, "max_row": 0, "width": 0}
    current: dict | None = None  # the row being read: repeat, cells, valued

    def finish() -> None:
        nonlocal current
        if current is None:
            return
        if current["valued"]:
            table["max_row"] = table["row"] + current["repeat"]
            table["width"] = max(table["width"], current["cells"])
        table["row"] += current["repeat"]
        current = None
        if _too_far(table["width"], table["max_row"], limits):
            raise _beyond(name, table["width"], table["max_row"], limits)

    def count(body: bytes) -> None:
        if current is None:
            return
        current["cells"] += sum(body.count(tag) for tag in _ODS_CELLS)
        for match in _ODS_COLUMNS_REPEATED.finditer(body):
            tag = body[body.rfind(b"<", 0, match.start()) : body.find(b">", match.end()) + 1]
            if not tag.endswith(b"/>") or b"value-type" in tag:  # a repeated cell with content
                current["cells"] += int(match.group(1)) - 1
                current["valued"] = True
        if any(marker in body for marker in _ODS_VALUED):
            current["valued"] = True

    def rows_in(region: bytes) -> None:
        nonlocal current
        parts = _ODS_ROW.split(region)
        for index, part in enumerate(parts):
            if index > 0:  # a new row starts this part
                finish()
                head = part[: max(part.find(b">"), 0)]
                repeated = _ODS_ROWS_REPEATED.search(head)
                current = {"repeat": int(repeated.group(1)) if repeated else 1, "cells": 0,
                           "valued": False}  # fmt: skip
                part = part[len(head) :]
            table_start = _ODS_TABLE_START.search(part)
            if table_start:  # a new table (sheet): its rows count from 1
                count(part[: table_start.start()])
                finish()
                table.update(row=0, max_row=0, width=0)
            else:
                count(part)

    for region in _xml_regions(archive, name):
        rows_in(region)
    finish()


@lru_cache(maxsize=2)
def _workbook_rows(
    path: str, size: int, mtime_ns: int, limits: Limits = DEFAULT_LIMITS
) -> tuple[tuple[Sheet, tuple], ...]:
    """Every sheet's rows, parsed once per file version (detection, header search and the data
    read all ask for them)."""
    del size, mtime_ns  # part of the cache key only
    if Path(path).suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        check_zip(Path(path), limits)
    try:
        book = python_calamine.CalamineWorkbook.from_path(path)
    except Exception as error:  # calamine raises several kinds for a damaged or mislabelled file
        kind = type(error).__name__
        raise UnreadableFile(
            _("not a readable spreadsheet ({kind}: {error})", kind=kind, error=error)
        ) from None
    found = []
    try:
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # chart sheets, macro sheets
            sheet = book.get_sheet_by_name(meta.name)
            if (
                sheet.height > limits.rows
                or sheet.width > limits.columns
                or sheet.height * sheet.width > limits.cells
            ):
                raise UnreadableFile(
                    _(
                        "sheet {sheet} has {rows} rows and {columns} columns: beyond the limits "
                        "({max_rows} rows, {max_columns} columns, {max_cells} cells)",
                        sheet=repr(meta.name),
                        rows=f"{sheet.height:,}",
                        columns=sheet.width,
                        max_rows=f"{limits.rows:,}",
                        max_columns=limits.columns,
                        max_cells=f"{limits.cells:,}",
                    )
                )
            offset, first_column = (sheet.start[0], sheet.start[1] + 1) if sheet.start else (0, 1)
            rows = tuple((offset + i + 1, list(row)) for i, row in enumerate(sheet.iter_rows()))
            _check_cell_lengths(meta.name, rows, first_column)
            visible = meta.visible == python_calamine.SheetVisibleEnum.Visible
            found.append((Sheet(meta.name, visible, first_column), rows))
    finally:
        book.close()
    # Visible sheets first: a hidden sheet is never what a person meant to import.
    found.sort(key=lambda item: not item[0].visible)
    return tuple(found)


def _check_cell_lengths(sheet: str, rows: tuple, first_column: int) -> None:
    for number, cells in rows:
        for index, value in enumerate(cells):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise UnreadableFile(
                    _(
                        "sheet {sheet}, row {row}, column {column} holds a cell of {length} "
                        "characters; the limit is {limit}",
                        sheet=repr(sheet),
                        row=number,
                        column=column_letters(first_column + index),
                        length=f"{len(value):,}",
                        limit=f"{MAX_CELL_CHARS:,}",
                    )
                )


def workbook_sheets(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[tuple[Sheet, tuple], ...]:
    """((sheet, ((row number, cells), ...)), ...) of a spreadsheet, visible sheets first;
    raises UnreadableFile."""
    stat = Path(path).stat()
    return _workbook_rows(str(path), stat.st_size, stat.st_mtime_ns, limits)


MAX_PART_XML = 20_000_000  # bytes of workbook.xml or its relationships part (tiny in practice)
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class _Refused(Exception):
    """Raised from inside the XML parser: a construct we do not read (DTD, entities)."""


def _parser(start) -> expat.XMLParserType:
    """A streaming expat parser that calls `start(local name, attributes)` for each element and
    refuses document type declarations (no entity can be declared, so none can expand)."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args) -> None:
        raise _Refused(_("the file's XML declares a document type (DTD): refused"))

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda name, attrs: start(name.rsplit(" ", 1)[-1], attrs)
    return parser


def _parse_part(archive: zipfile.ZipFile, name: str, start, limit: int | None = None) -> None:
    info = archive.getinfo(name)
    if limit is not None and info.file_size > limit:
        raise UnreadableFile(
            _("part {part} is {size} bytes; refused", part=repr(name), size=f"{info.file_size:,}")
        )
    _feed(archive, name, _parser(start))


def _feed(archive: zipfile.ZipFile, name: str, parser: expat.XMLParserType) -> None:
    try:
        with archive.open(name) as handle:
            while chunk := handle.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Refused as error:
        raise UnreadableFile(str(error)) from None
    except expat.ExpatError as error:
        raise UnreadableFile(
            _(
                "the part {part} of the file is damaged ({error}): open it in a spreadsheet "
                "program and save it again",
                part=repr(name),
                error=error,
            )
        ) from None


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip part holding the worksheet called `sheet_name`, from workbook.xml and its rels."""
    wanted: list[str] = []
    targets: dict[str, str] = {}

    def on_book(local: str, attrs: dict) -> None:
        if local == "sheet" and attrs.get("name") == sheet_name and not wanted:
            wanted.append(attrs.get(f"{_RELATIONSHIPS} id", ""))

    def on_rels(local: str, attrs: dict) -> None:
        if local == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    _parse_part(archive, "xl/workbook.xml", on_book, MAX_PART_XML)
    _parse_part(archive, "xl/_rels/workbook.xml.rels", on_rels, MAX_PART_XML)
    target = targets.get(wanted[0]) if wanted else None
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    part = posixpath.normpath(part)
    return part if part in names else None


_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def formula_cells(path: Path, sheet_name: str, limit: int = 1_000) -> list[tuple[int, int]]:
    """(row, column) numbers of the cells of a .xlsx/.xlsm sheet that hold a formula (at most
    `limit` of them), read from the sheet's XML: calamine gives only the values. Call it after
    `workbook_sheets`, whose bounds check has passed; raises UnreadableFile."""
    found: list[tuple[int, int]] = []
    at = {"row": 0, "column": 0}

    def on_cell(local: str, attrs: dict) -> None:
        if local == "row":
            number = attrs.get("r", "")
            at["row"] = int(number) if number.isascii() and number.isdigit() else at["row"] + 1
            at["column"] = 0
        elif local == "c":
            match = _REF.fullmatch(attrs.get("r", ""))
            if match:
                at["column"] = _column_number(match.group(1).encode())
                at["row"] = int(match.group(2))
            else:
                at["column"] += 1
        elif (
            local == "f"
            and len(found) < limit
            and (not found or found[-1] != (at["row"], at["column"]))
        ):
            found.append((at["row"], at["column"]))

    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet_name)
            if part is None:
                raise UnreadableFile(
                    _("cannot find the XML of sheet {sheet}", sheet=repr(sheet_name))
                )
            _parse_part(archive, part, on_cell)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableFile(
            _("not a valid spreadsheet (damaged zip: {error})", error=error)
        ) from None
    return found


# -- CSV text ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # as the user knows it: "UTF-8", "Mac Roman", ...

    def note(self, file: str) -> str:
        return _("{file}: read as {encoding} text", file=file, encoding=self.encoding)


def _where(text: str, index: int) -> str:
    before = text[:index]
    line = len(re.findall(r"\r\n|\r|\n", before)) + 1
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return _("line {line}, character {character}", line=line, character=index - start + 1)


def decode_text(data: bytes, *, allow_nul: bool = False) -> DecodedText:
    """CSV bytes -> text, the encoding detected by charset-normalizer among CSV_ENCODINGS.

    NUL characters are refused (saying where the first one is) unless `allow_nul`: a reader that
    reports them cell by cell itself asks for them."""
    if not data:
        return DecodedText("", "UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as error:
            where = _where(data.decode("latin-1"), error.start + 3)
            raise UnreadableFile(
                _(
                    "the file says it is UTF-8 but is not ({where}): save it again as 'CSV UTF-8'",
                    where=where,
                )
            ) from None
        return DecodedText(_check_nul(text, allow_nul), "UTF-8 with BOM")
    best = _detect(data)
    if best is None and b"\x00" in data and allow_nul:
        best = _detect(data.replace(b"\x00", b""))  # a NUL in a cell confuses the detector
        if best is not None:
            try:
                text = data.decode(best.encoding)
            except (UnicodeDecodeError, LookupError):
                best = None
            else:
                label = ENCODING_LABELS.get(best.encoding, best.encoding)
                return DecodedText(text.lstrip("\ufeff"), label)
    if best is None:
        if b"\x00" in data and not allow_nul:
            _check_nul(data.decode("latin-1"), False)
        raise UnreadableFile(
            _(
                "the text is in none of the encodings spreadsheets save CSV in (UTF-8, UTF-16, "
                "Windows-1252, Mac Roman): save it again as 'CSV UTF-8'"
            )
        )
    text = _check_nul(str(best), allow_nul)
    return DecodedText(text.lstrip("\ufeff"), ENCODING_LABELS.get(best.encoding, best.encoding))


def _detect(data: bytes):
    matches = list(charset_normalizer.from_bytes(data, cp_isolation=CSV_ENCODINGS))
    # Windows-1252 and Mac Roman both decode any byte: take the library's least chaotic reading
    # (its own first choice is not always that one). Where the two are equally plausible (only
    # typographic quotes and dashes, say), the line ends decide: old Mac spreadsheets saved CSV
    # with CR alone, Windows ones with CRLF or LF.
    matches.sort(key=lambda m: m.chaos)
    best = matches[0] if matches else None
    tied = {m.encoding: m for m in matches if best and m.chaos <= best.chaos + 1e-9}
    if {"cp1252", "mac_roman"} <= tied.keys():
        mac = b"\r" in data and b"\n" not in data
        best = tied["mac_roman" if mac else "cp1252"]
    return best


def _check_nul(text: str, allow_nul: bool) -> str:
    if not allow_nul and "\x00" in text:
        raise UnreadableFile(
            _(
                "the file holds NUL bytes (the first at {where}): it is not CSV text",
                where=_cell_at(text, text.index(chr(0))),
            )
        )
    return text


def _cell_at(text: str, index: int) -> str:
    """'row 3, column 2' of the character at `index` of CSV text (a line and character when the
    text before it is not CSV)."""
    before = text[:index] + "x"
    delimiter = ";" if before.count(";") > before.count(",") * 2 else ","
    try:
        records = list(csv.reader(io.StringIO(before, newline=""), delimiter=delimiter))
    except csv.Error:
        return _where(text, index)
    if not records:
        return _where(text, index)
    return _("row {row}, column {column}", row=len(records), column=len(records[-1]))


@lru_cache(maxsize=2)
def _csv_rows(path: str, size: int, mtime_ns: int, allow_nul: bool) -> tuple[DecodedText, tuple]:
    del size, mtime_ns
    decoded = decode_text(Path(path).read_bytes(), allow_nul=allow_nul)
    sample = decoded.text[:65536]
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    if delimiter == "," and sample.count(";") > sample.count(",") * 2:
        delimiter = ";"  # Excel in locales whose decimal separator is a comma
    reader = csv.reader(io.StringIO(decoded.text, newline=""), delimiter=delimiter, strict=True)
    found: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            found.append((len(found) + 1, row))
    except csv.Error as error:
        number = len(found) + 1
        if "field larger than field limit" in str(error):
            raise UnreadableFile(
                _(
                    "row {row} holds a cell of more than {limit} characters; the limit is {limit}",
                    row=number,
                    limit=f"{MAX_CELL_CHARS:,}",
                )
            ) from None
        raise UnreadableFile(
            _("row {row} is not readable as CSV ({error})", row=number, error=error)
        ) from None
    rows = tuple(found)
    for number, row in rows:
        for index, cell in enumerate(row, start=1):
            if len(cell) > MAX_CELL_CHARS:
                raise UnreadableFile(
                    _(
                        "row {row}, column {column} holds a cell of {length} characters; "
                        "the limit is {limit}",
                        row=number,
                        column=index,
                        length=f"{len(cell):,}",
                        limit=f"{MAX_CELL_CHARS:,}",
                    )
                )
    return decoded, rows


def csv_rows(path: Path, *, allow_nul: bool = False) -> tuple[DecodedText, tuple]:
    """(decoded text, ((row number, cells), ...)); raises UnreadableFile. Row numbers count
    records (a cell with a line break inside stays one row), as a spreadsheet shows them."""
    stat = Path(path).stat()
    return _csv_rows(str(path), stat.st_size, stat.st_mtime_ns, allow_nul)


def rows_of(path: Path) -> Iterator[tuple[str | None, tuple]]:
    """(sheet name or None for CSV, rows) of each table in a file."""
    if Path(path).suffix.lower() in EXCEL_SUFFIXES:
        for sheet, rows in workbook_sheets(path):
            yield sheet.name, rows
    else:
        yield None, csv_rows(path)[1]
