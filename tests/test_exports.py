"""CSV, Excel and chart exports: complete, faithful, and safe to open in a spreadsheet."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests import tiny_store
from upr_data import chart_export, charts, exports, queries, store
from upr_data.filters import Filters
from upr_data.settings import DEFAULT_STORE

FILTERS = [
    Filters(),
    Filters(themes=("land_housing",)),
    Filters(states=("DEU",), responses=("supported",)),
    Filters(cycles=(2,), responses=("noted",)),
]

# SYNTHETIC texts that a spreadsheet would run as formulas (not real recommendations).
FORMULAS = {
    "KHM-2-90.1": '=HYPERLINK("https://example.org/x","SYNTHETIC click")',
    "KHM-2-90.2": "+1+2 SYNTHETIC",
    "KHM-2-90.3": "-2+3 SYNTHETIC",
    "KHM-2-90.4": "@SUM(A1:A2) SYNTHETIC",
    "KHM-2-90.5": "\tTAB SYNTHETIC",
}


def _read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _xlsx_rows(data: bytes, sheet: str = "Recommendations") -> list[tuple]:
    book = load_workbook(io.BytesIO(data))
    return list(book[sheet].iter_rows(values_only=True))


def _xlsx(frame: pd.DataFrame, description: str = "SYNTHETIC selection") -> bytes:
    return exports.to_xlsx(
        frame,
        description=description,
        data_version="v-test",
        dictionary=exports.dictionary(),
        exported=date(2025, 1, 2),
    )


@pytest.fixture
def formula_db(tiny):
    """The tiny store plus SYNTHETIC recommendations whose texts look like formulas."""
    recs, links = [], []
    for rec_id, text in FORMULAS.items():
        paragraph = rec_id.rsplit("-", 1)[1]
        recs.append(tiny_store._rec(rec_id, 2, paragraph, text, "supported"))
        links.append(
            dict(rec_id=rec_id, state_iso3="DEU", name_as_printed="Germany", regional_group="WEOG")
        )
    store.append(
        tiny,
        {
            "recommendations": tiny_store._table("recommendations", recs),
            "recommendation_states": tiny_store._table("recommendation_states", links),
        },
    )
    return queries.connect(tiny)


# -- safe_cell -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "-cmd", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_could_start_a_formula_gets_a_quote(text):
    assert exports.safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-5, -1.5, 0, 3, 2.5, None, "Ratify", "", "a=b", "a-b, c",
                                   "2009-2014", "rights; duties", "e-mail: x@y.org"])  # fmt: skip
def test_numbers_and_ordinary_text_are_unchanged(value):
    assert exports.safe_cell(value) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ensure rights;=3+3", "Ensure rights;'=3+3"),  # Excel with ';' as list separator
        ("a,+1", "a,'+1"),
        ("a\t-2", "a\t'-2"),
        ("line one\n@SUM(A1)", "line one\n'@SUM(A1)"),
        ("line one\r\n=1", "line one\r\n'=1"),
        ("a;  =1", "a;  '=1"),  # a program that trims spaces would start a cell with '=1'
        (" =x", "' =x"),
        ("=1;=2", "'=1;'=2"),
    ],
)
def test_a_formula_start_after_a_separator_or_line_break_is_neutralised(text, expected):
    assert exports.safe_cell(text) == expected


# -- completeness and round trip on the real store -----------------------------------------------


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: str(f.to_params()) or "all")
def test_csv_and_xlsx_hold_every_selected_row_unchanged(real_db, f):
    frame = exports.export_frame(real_db, f)
    n = queries.count(real_db, f)
    assert n > 0 and len(frame) == n
    expected = queries.recommendations(real_db, f, limit=n)

    back = _read_csv(exports.to_csv(frame))
    assert len(back) == n
    assert list(back["Id"]) == list(expected["rec_id"])
    assert list(back["Recommendation"]) == list(expected["text"])
    assert list(back["Paragraph"]) == list(expected["paragraph"])
    assert list(back["Response"]) == list(frame["Response"])

    rows = _xlsx_rows(_xlsx(frame, f.describe(n)))
    header, body = rows[0], rows[1:]
    assert list(header) == list(frame.columns)
    assert len(body) == n
    column = {name: i for i, name in enumerate(header)}
    assert [r[column["Id"]] for r in body] == list(expected["rec_id"])
    assert [r[column["Recommendation"]] for r in body] == list(expected["text"])
    assert [r[column["Response"]] for r in body] == list(frame["Response"])
    assert [r[column["Cycle"]] for r in body] == [int(c) for c in expected["cycle"]]


def test_export_columns_are_readable_and_documented(real_db):
    frame = exports.export_frame(real_db, Filters(states=("DEU",)))
    assert [column for column, _meaning in exports.dictionary()] == list(frame.columns)
    assert set(frame["Response"]) == {"Supported", "Noted"}
    assert frame["Themes"].str.len().gt(0).all()
    assert frame["Action category"].str.match(r"^[1-5]: ").all()
    assert frame["Status: Government"].eq("Not assessed").all()  # nobody assessed yet
    # links of DEU's recommendations to evidence
    expected = queries.recommendations(real_db, Filters(states=("DEU",)))["evidence"].sum()
    assert frame["Evidence items"].sum() == expected > 0


def test_csv_has_a_byte_order_mark_for_excel(real_db):
    data = exports.to_csv(exports.export_frame(real_db, Filters(states=("DEU",))))
    assert data.startswith(b"\xef\xbb\xbf")
    assert "–".encode() in data  # a typographic dash of an official text, intact


def test_statuses_are_labelled_per_role(tiny_db):
    frame = exports.export_frame(tiny_db, Filters()).set_index("Id")
    assert frame.loc["KHM-1-10.1", "Status: Government"] == "Fully implemented"
    assert frame.loc["KHM-1-10.1", "Status: Civil society"] == "Partially implemented"
    # A5 supersedes A4: the government's current status of R2 is A5's
    assert frame.loc["KHM-1-10.2", "Status: Government"] == "Not implemented"
    assert frame.loc["KHM-2-20.1", "Status: Government"] == "Not assessed"
    assert frame.loc["KHM-2-20.1", "Action category"] == "5: Specific action"  # curator's


# -- formula injection -----------------------------------------------------------------------------


def test_formula_texts_are_neutralised_in_csv(formula_db):
    frame = exports.export_frame(formula_db, Filters(cycles=(2,)))
    back = _read_csv(exports.to_csv(frame)).set_index("Id")
    for rec_id, text in FORMULAS.items():
        assert back.loc[rec_id, "Recommendation"] == "'" + text
    assert back.loc["KHM-2-90.1", "Cycle"] == "2"  # a number stays a number (no quote)
    assert back.loc["KHM-2-20.1", "Recommendation"].startswith("Consider")


FORMULA_START = re.compile(r"^[ \u00a0]*[=+\-@\t\r]")
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_csv_quotes_every_text_field_and_no_split_starts_a_formula(formula_db, separator):
    frame = exports.export_frame(formula_db, Filters(cycles=(2,)))
    extra = pd.DataFrame([{**frame.iloc[0].to_dict(), "Id": "KHM-2-90.9",
                           "Recommendation": "Ensure rights;=3+3,+1\n@SUM(A1)\t-2"}])  # fmt: skip
    data = exports.to_csv(pd.concat([frame, extra], ignore_index=True))
    text = data.decode("utf-8-sig")
    assert "\"Ensure rights;'=3+3,'+1\n'@SUM(A1)\t'-2\"" in text
    # Every field is a quoted text or a bare number, every record ends with CRLF.
    field = r'(?:"(?:[^"]|"")*"|-?[0-9]+(?:\.[0-9]+)?)'
    assert re.fullmatch(f"(?:{field}(?:,{field})*\r\n)+", text)
    # Read by a program that splits on another separator, or on line breaks, and ignores our
    # quotes: no piece may start a formula.
    for piece in re.split(f"[{re.escape(separator)}\r\n]", text):
        piece = piece.lstrip('"')
        assert not FORMULA_START.match(piece) or NUMBER.match(piece.strip()), piece


def test_formula_texts_are_neutralised_in_xlsx(formula_db):
    frame = exports.export_frame(formula_db, Filters(cycles=(2,)))
    book = load_workbook(io.BytesIO(_xlsx(frame)))
    sheet = book["Recommendations"]
    header = [c.value for c in sheet[1]]
    text_col = header.index("Recommendation") + 1
    cycle_col = header.index("Cycle") + 1
    found = {}
    for row in range(2, sheet.max_row + 1):
        found[sheet.cell(row, 1).value] = sheet.cell(row, text_col)
        cycle = sheet.cell(row, cycle_col)
        assert cycle.data_type == "n" and cycle.value == 2
    for rec_id, text in FORMULAS.items():
        assert found[rec_id].value == "'" + text
        assert found[rec_id].data_type == "s"
    for ws in book.worksheets:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row), "no cell may be a formula"


def test_a_negative_number_stays_a_number_and_text_is_quoted_in_both_formats():
    frame = pd.DataFrame({"n": [-5, 3], "x": [-1.5, 2.0], "t": ["-5", "=1+1"]})
    back = _read_csv(exports.to_csv(frame))
    assert list(back["n"]) == ["-5", "3"] and list(back["x"]) == ["-1.5", "2.0"]
    assert list(back["t"]) == ["'-5", "'=1+1"]
    book = load_workbook(io.BytesIO(_xlsx(frame)))
    sheet = book["Recommendations"]
    assert sheet["A2"].value == -5 and sheet["A2"].data_type == "n"
    assert sheet["B2"].value == -1.5 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == "'-5" and sheet["C3"].value == "'=1+1"
    assert sheet["C3"].data_type == "s"


def test_about_sheet_says_what_was_exported(real_db):
    f = Filters(themes=("land_housing",))
    n = queries.count(real_db, f)
    description = f.describe(n)
    version = store.version(DEFAULT_STORE)
    data = exports.to_xlsx(
        exports.export_frame(real_db, f),
        description=description,
        data_version=version,
        dictionary=exports.dictionary(),
        exported=date(2025, 1, 2),
        sources=exports.sources_line(real_db),
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Recommendations", "About this export"]
    about = {row[0]: row[1] for row in book["About this export"].iter_rows(values_only=True)}
    assert about["Selection"] == description
    assert description.startswith(f"{n} recommendations where theme is Land")
    assert about["Data version"] == version
    assert about["Exported on"] == "2025-01-02"
    assert exports.SOURCES == "A/HRC/13/4; A/HRC/26/16 and Add.1; see data/sources/PROVENANCE.md"
    assert about["Sources"] == exports.SOURCES
    assert about["Rows"] == n
    for column, meaning in exports.dictionary():
        assert about[column] == meaning
    sheet = book["Recommendations"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["D"].width >= 60
    assert sheet["D2"].alignment.wrap_text


def test_empty_selection_exports_just_the_header(tiny_db):
    frame = exports.export_frame(tiny_db, Filters(text="no such words anywhere"))
    assert frame.empty and list(frame.columns) == [c for c, _m in exports.dictionary()]
    assert _read_csv(exports.to_csv(frame)).empty
    assert len(_xlsx_rows(_xlsx(frame))) == 1


# -- charts ----------------------------------------------------------------------------------------


def test_chart_exports_png_and_svg_without_changing_the_chart(tiny_db):
    f = Filters()
    chart = charts.theme_response(
        queries.by_theme_response(tiny_db, f), queries.count(tiny_db, f), "paragraphs"
    )
    before = chart.to_dict()
    png = chart_export.to_png(chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = chart_export.to_svg(chart)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert float(root.get("width")) >= chart_export.EXPORT_WIDTH
    assert chart.to_dict() == before
    assert before["width"] == "container"


def test_png_scale_doubles_the_pixels(tiny_db):
    f = Filters()
    chart = charts.evidence_timeline(queries.evidence_timeline(tiny_db, f), 3)
    small, large = chart_export.to_png(chart, scale=1), chart_export.to_png(chart, scale=2)

    def width(png: bytes) -> int:
        return int.from_bytes(png[16:20], "big")  # the IHDR chunk

    assert width(large) == 2 * width(small)
