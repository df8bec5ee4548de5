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
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import charset_normalizer
import python_calamine

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


class UnreadableFile(ValueError):
    """A file that cannot be read safely or at all; the message says why in plain words."""


@dataclass(frozen=True)
class Sheet:
    name: str
    visible: bool


# -- spreadsheets --------------------------------------------------------------------------------

_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\b[^>]*?\bref="(?:[A-Z]+[0-9]+:)?([A-Z]{1,3})([0-9]{1,7})"'
)


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def check_zip(path: Path) -> None:
    """Refuse a zipped workbook (.xlsx, .ods) whose parts would unpack too large, or whose
    worksheets name cells beyond the bounds; reads the declared sizes and streams the sheet XML
    once, never building it in memory."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableFile(f"not a valid spreadsheet (damaged zip: {error})") from None
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise UnreadableFile(
                f"the workbook unpacks to {total / 1e9:.1f} GB; the limit is "
                f"{MAX_UNCOMPRESSED / 1e9:.1f} GB"
            )
        for info in infos:
            if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise UnreadableFile(
                    f"part {info.filename!r} unpacks {info.file_size // max(info.compress_size, 1)}"
                    " times its size: refused as a decompression bomb"
                )
        for info in infos:
            if re.match(r"^xl/worksheets/[^/]+\.xml$", info.filename):
                _check_sheet_extent(archive, info.filename)


def _check_sheet_extent(archive: zipfile.ZipFile, name: str) -> None:
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
            if max_col > MAX_COLUMNS or max_row > MAX_ROWS or max_col * max_row > MAX_CELLS:
                sheet = name.rsplit("/", 1)[-1]
                raise UnreadableFile(
                    f"{sheet} declares or uses a cell at column {max_col}, row {max_row}: beyond "
                    f"the limits ({MAX_COLUMNS} columns, {MAX_ROWS:,} rows, {MAX_CELLS:,} cells)"
                )


@lru_cache(maxsize=2)
def _workbook_rows(path: str, size: int, mtime_ns: int) -> tuple[tuple[Sheet, tuple], ...]:
    """Every sheet's rows, parsed once per file version (detection, header search and the data
    read all ask for them)."""
    del size, mtime_ns  # part of the cache key only
    if Path(path).suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        check_zip(Path(path))
    try:
        book = python_calamine.CalamineWorkbook.from_path(path)
    except Exception as error:  # calamine raises several kinds for a damaged or mislabelled file
        kind = type(error).__name__
        raise UnreadableFile(f"not a readable spreadsheet ({kind}: {error})") from None
    found = []
    try:
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # chart sheets, macro sheets
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.height > MAX_ROWS or sheet.width > MAX_COLUMNS:
                raise UnreadableFile(
                    f"sheet {meta.name!r} has {sheet.height:,} rows and {sheet.width} columns: "
                    f"beyond the limits ({MAX_ROWS:,} rows, {MAX_COLUMNS} columns)"
                )
            offset = sheet.start[0] if sheet.start else 0
            rows = tuple((offset + i + 1, list(row)) for i, row in enumerate(sheet.iter_rows()))
            visible = meta.visible == python_calamine.SheetVisibleEnum.Visible
            found.append((Sheet(meta.name, visible), rows))
    finally:
        book.close()
    # Visible sheets first: a hidden sheet is never what a person meant to import.
    found.sort(key=lambda item: not item[0].visible)
    return tuple(found)


def workbook_sheets(path: Path) -> tuple[tuple[Sheet, tuple], ...]:
    """((sheet, ((row number, cells), ...)), ...) of a spreadsheet; raises UnreadableFile."""
    stat = Path(path).stat()
    return _workbook_rows(str(path), stat.st_size, stat.st_mtime_ns)


# -- CSV text ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # as the user knows it: "UTF-8", "Mac Roman", ...

    def note(self, file: str) -> str:
        return f"{file}: read as {self.encoding} text"


def decode_text(data: bytes) -> DecodedText:
    """CSV bytes -> text, the encoding detected by charset-normalizer among CSV_ENCODINGS."""
    if not data:
        return DecodedText("", "UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        return DecodedText(data[3:].decode("utf-8", errors="strict"), "UTF-8 with BOM")
    matches = list(charset_normalizer.from_bytes(data, cp_isolation=CSV_ENCODINGS))
    # Windows-1252 and Mac Roman both decode any byte: take the library's least chaotic, most
    # coherent reading (its own first choice is not always that one).
    matches.sort(key=lambda m: (m.chaos, -m.coherence))
    best = matches[0] if matches else None
    if best is None:
        raise UnreadableFile(
            "the text is in none of the encodings spreadsheets save CSV in (UTF-8, UTF-16, "
            "Windows-1252, Mac Roman): save it again as 'CSV UTF-8'"
        )
    text = str(best)
    if "\x00" in text:
        raise UnreadableFile("the file holds NUL bytes: it is not CSV text")
    return DecodedText(text.lstrip("\ufeff"), ENCODING_LABELS.get(best.encoding, best.encoding))


@lru_cache(maxsize=2)
def _csv_rows(path: str, size: int, mtime_ns: int) -> tuple[DecodedText, tuple]:
    del size, mtime_ns
    decoded = decode_text(Path(path).read_bytes())
    sample = decoded.text[:65536]
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    if delimiter == "," and sample.count(";") > sample.count(",") * 2:
        delimiter = ";"  # Excel in locales whose decimal separator is a comma
    try:
        reader = csv.reader(io.StringIO(decoded.text, newline=""), delimiter=delimiter, strict=True)
        rows = tuple((number, row) for number, row in enumerate(reader, start=1))
    except csv.Error as error:
        raise UnreadableFile(f"not readable as CSV ({error})") from None
    for number, row in rows:
        for cell in row:
            if len(cell) > MAX_CELL_CHARS:
                raise UnreadableFile(
                    f"row {number} holds a cell of {len(cell):,} characters; the limit is "
                    f"{MAX_CELL_CHARS:,}"
                )
    return decoded, rows


def csv_rows(path: Path) -> tuple[DecodedText, tuple]:
    """(decoded text, ((row number, cells), ...)); raises UnreadableFile."""
    stat = Path(path).stat()
    return _csv_rows(str(path), stat.st_size, stat.st_mtime_ns)


def rows_of(path: Path) -> Iterator[tuple[str | None, tuple]]:
    """(sheet name or None for CSV, rows) of each table in a file."""
    if Path(path).suffix.lower() in EXCEL_SUFFIXES:
        for sheet, rows in workbook_sheets(path):
            yield sheet.name, rows
    else:
        yield None, csv_rows(path)[1]
