"""A lean streaming reader of .xlsx cell values (zipfile + ElementTree, standard library only).

openpyxl's read-only mode scans a whole sheet to find its size when the file has no dimension
record, and builds an object per cell: on the UHRI full export (hundreds of thousands of rows)
that takes minutes. This reader streams each sheet once, keeps only cell values (shared strings,
inline strings, numbers, booleans; formulas as their cached value), and frees each row as it goes.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _column(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _text(element: ET.Element) -> str:
    """Text of a string item: its <t> runs (rich text), without phonetic <rPh> runs."""
    parts = []
    for node in element.iter():
        if node.tag == f"{MAIN}rPh":
            continue
        if node.tag == f"{MAIN}t" and node.text:
            parts.append(node.text)
    return "".join(parts)


class Workbook:
    """Sheet names and row streams of one .xlsx file."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        self.sheets = self._sheets()
        self._shared: list[str] | None = None

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _sheets(self) -> dict[str, str]:
        """{sheet name: path of its XML in the archive}, in workbook order."""
        rels = ET.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{PKG_REL}Relationship")}
        book = ET.fromstring(self.zip.read("xl/workbook.xml"))
        found = {}
        for sheet in book.iter(f"{MAIN}sheet"):
            target = targets.get(sheet.get(f"{REL}id"), "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            found[sheet.get("name", "")] = posixpath.normpath(path)
        return found

    def shared_strings(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if "xl/sharedStrings.xml" in self.zip.namelist():
                with self.zip.open("xl/sharedStrings.xml") as handle:
                    for _, element in ET.iterparse(handle):
                        if element.tag == f"{MAIN}si":
                            self._shared.append(_text(element))
                            element.clear()
        return self._shared

    def rows(self, sheet: str, wanted: set[int] | None = None) -> Iterator[tuple[int, list]]:
        """(row number, cell values) of each row that has cells, in order. With `wanted`, only
        those column positions are decoded (the others stay None): much faster on wide sheets."""
        shared = self.shared_strings()
        row_tag, cell_tag = f"{MAIN}row", f"{MAIN}c"
        with self.zip.open(self.sheets[sheet]) as handle:
            number = 0
            for _, element in ET.iterparse(handle):
                if element.tag != row_tag:
                    continue
                number = int(element.get("r") or number + 1)
                values: list = []
                for position, cell in enumerate(element.iter(cell_tag)):
                    match = _REF.match(cell.get("r", ""))
                    index = _column(match.group(1)) if match else position
                    if wanted is not None and index not in wanted:
                        continue
                    if index >= len(values):
                        values.extend([None] * (index + 1 - len(values)))
                    values[index] = _value(cell, shared)
                element.clear()
                yield number, values


def _value(cell: ET.Element, shared: list[str]):
    kind = cell.get("t")
    if kind == "inlineStr":
        inline = cell.find(f"{MAIN}is")
        return _text(inline) if inline is not None else None
    raw = cell.findtext(f"{MAIN}v")
    if raw is None:
        return None
    if kind == "s":
        return shared[int(raw)]
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw == "1"
    try:
        number = float(raw)
    except ValueError:
        return raw
    return int(number) if number.is_integer() else number
