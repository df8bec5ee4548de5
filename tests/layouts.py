"""Files in the layouts people really download, GENERATED here (no third-party file is copied).

- The UPR Info database export as served: a legacy Excel 97 `.xls` workbook (written by xlwt),
  one sheet "UPR Info database export", header row `SuR, Rgrp, Org, Recommendation, RS, Rgrp,
  Org, Response, Action, Issue, Session` (two `Rgrp` and two `Org`), one row per recommendation and
  recommending State, no paragraph numbers, `Action` and `Session` as floats.
- CSV copies of it with the pairs renamed (`To, To-Rgrp, To-Org, Text, From, ...`), saved in a
  given encoding and line end, as spreadsheet programs do (Mac Roman with CR seen).
- The same rows as an OpenDocument `.ods` sheet.
The rows come from our own first- and second-cycle sources (official texts, split per State as
UPR Info lists a clustered paragraph) or from SYNTHETIC texts for States we hold no text for.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import xlwt

from upr_data.settings import SOURCES_DIR

LEGACY_HEADER = [
    "SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action", "Issue",
    "Session",
]  # fmt: skip
RENAMED_HEADER = [
    "To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action",
    "Issue", "Session",
]  # fmt: skip
SHEET = "UPR Info database export"
SESSIONS = {1: 6.0, 2: 18.0}

# "(Pakistan)", "(Czech Republic)", "(France, Germany)" closing one recommendation of a paragraph
_BRACKET = re.compile(r"\s*\(([A-Z][^()]*(?:\([^()]*\)[^()]*)?)\)\s*[;,.]?\s*")


def split_per_state(text: str, states: list[str]) -> list[tuple[str, str]]:
    """(State, its recommendation's text) as UPR Info lists a paragraph: one row per State, the
    State bracket not in the text; in a cluster each State gets its own part."""
    pairs: list[tuple[str, str]] = []
    start = 0
    for found in _BRACKET.finditer(text):
        named = [s for s in states if s in found.group(1)]
        if not named:
            continue
        part = re.sub(r"^\(?[a-z]\)\s*", "", text[start : found.start()].strip(" ;,"))
        pairs += [(state, part) for state in named]
        start = found.end()
    credited = {s for s, _ in pairs}
    rest = [s for s in states if s not in credited]
    if rest:  # a State the brackets do not name: the whole paragraph
        pairs += [(state, _BRACKET.sub(" ", text).strip(" ;.")) for state in rest]
    return pairs


def official_rows(cycle: int) -> list[list]:
    """UPR Info rows of our bundled cycle: Cambodia, one row per (recommendation, State)."""
    frame = pd.read_csv(
        SOURCES_DIR / f"cambodia_cycle{cycle}_recommendations.csv", dtype=str, keep_default_na=False
    )
    rows = []
    for r in frame.itertuples():
        states = [s.strip() for s in r.recommending_states.split(";") if s.strip()]
        # A State twice in one paragraph (82.32: Malaysia) made two recommendations: two rows.
        seen_states = list(dict.fromkeys(states))
        response = "Accepted" if r.response == "supported" else "Noted"
        for state, part in split_per_state(r.text, seen_states):
            rows.append(
                [
                    "Cambodia",
                    "Asia",
                    "ASEAN",
                    part,
                    upr_info_name(state),
                    "",
                    "",
                    response,
                    3.0,
                    "Justice, Women's rights",
                    SESSIONS[cycle],
                ]  # fmt: skip
            )
    return rows


# UPR Info spells some States its own way.
_UPR_INFO_NAMES = {
    "Bosnia and Herzegovina": "Bosnia & Herzegovina",
    "The former Yugoslav Republic of Macedonia": "Macedonia FYR",
    "Iran (Islamic Republic of)": "Iran",
}


def upr_info_name(state: str) -> str:
    return _UPR_INFO_NAMES.get(state, state)


def synthetic_rows(sur: str, session: float, n: int = 6) -> list[list]:
    """SYNTHETIC recommendations (not real UPR text) to `sur`, one row per State; the fourth is
    made jointly by two States, the sixth by a State with an accented name."""
    states = ["France", "Bosnia & Herzegovina", "Macedonia FYR", "Japan", "Chile", "Côte d'Ivoire"]
    rows = []
    for i in range(1, n + 1):
        text = f"SYNTHETIC TEST TEXT {i}: keep a fictitious register of test entries ({i})"
        response = "Noted" if i % 3 == 0 else "Accepted"
        for state in [states[(i - 1) % len(states)]] + (["Brazil"] if i == 4 else []):
            rows.append(
                [
                    sur,
                    "EEG",
                    "",
                    text,
                    state,
                    "WEOG",
                    "",
                    response,
                    float(1 + i % 5),
                    "Synthetic issue A, Synthetic issue B",
                    session,
                ]  # fmt: skip
            )
    return rows


def write_xls(path: Path, rows: list[list], header: list[str] = LEGACY_HEADER) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(SHEET)
    for c, name in enumerate(header):
        sheet.write(0, c, name)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_csv(
    path: Path,
    rows: list[list],
    encoding: str = "utf-8",
    newline: str = "\n",
    header: list[str] = RENAMED_HEADER,
) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows([[_csv_value(v) for v in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _csv_value(value):
    return f"{value:.1f}" if isinstance(value, float) else value


def write_ods(path: Path, rows: list[list], header: list[str] = LEGACY_HEADER) -> Path:
    frame = pd.DataFrame(rows, columns=range(len(header)))
    frame.columns = header  # duplicate names as in the export
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, sheet_name=SHEET, index=False)
    return path
