"""Row validation shared by the build and the importers: pydantic models, problems by cell."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import pandas as pd
from pydantic import BaseModel, BeforeValidator, ValidationError

from . import schema
from .i18n import _
from .problems import InputError, Problem

M = TypeVar("M", bound=BaseModel)

PARAGRAPH = re.compile(r"^\d{1,3}\.[1-9]\d{0,3}$")  # no leading zero: 118.09 is not 118.9
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def blank_to_none(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def split_list(value: Any) -> list[str]:
    """'A; B;C' -> ['A', 'B', 'C'] (semicolon-separated cells)."""
    value = blank_to_none(value)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [part.strip() for part in str(value).split(";") if part.strip()]


def parse_partial_date(value: str) -> tuple[date, str]:
    """'2019' / '2019-07' / '2019-07-26' -> (first day of that period, precision)."""
    match = PARTIAL_DATE.match(value.strip())
    if not match:
        raise ValueError(
            _("{value} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", value=repr(value))
        )
    year, month, day = match.groups()
    parsed = date(int(year), int(month or 1), int(day or 1))
    precision = "day" if day else "month" if month else "year"
    return parsed, precision


Text = Annotated[str, BeforeValidator(blank_to_none)]
OptionalText = Annotated[str | None, BeforeValidator(blank_to_none)]
OptionalInt = Annotated[int | None, BeforeValidator(blank_to_none)]
OptionalDate = Annotated[date | None, BeforeValidator(blank_to_none)]
TextList = Annotated[list[str], BeforeValidator(split_list)]


def vocabulary_code(value: Any) -> Any:
    """'Supported' / 'partially supported' -> 'supported' / 'partially_supported'."""
    return value.strip().lower().replace(" ", "_") if isinstance(value, str) else value


def _vocabulary(codes) -> Any:
    return Annotated[Literal[tuple(codes)], BeforeValidator(vocabulary_code)]


Response = _vocabulary(schema.RESPONSES)
Status = _vocabulary(schema.STATUSES)
Role = _vocabulary(schema.ROLES)
ActionType = _vocabulary(schema.ACTION_TYPES)
Direction = _vocabulary(schema.DIRECTIONS)
SourceKind = _vocabulary(schema.SOURCE_KINDS)


def check_columns(file: str, frame: pd.DataFrame, required: list[str]) -> list[Problem]:
    return [
        Problem(file, None, column, _("missing column"))
        for column in required
        if column not in frame.columns
    ]


def validate_rows(
    file: str, frame: pd.DataFrame, model: type[M]
) -> tuple[list[tuple[int, M]], list[Problem]]:
    """Validate every row; returns (spreadsheet row number, model) pairs and all problems found."""
    rows: list[tuple[int, M]] = []
    problems: list[Problem] = []
    fields = list(model.model_fields)
    for offset, record in enumerate(frame.to_dict(orient="records")):
        row_number = offset + 2  # the header is row 1
        try:
            rows.append((row_number, model.model_validate({k: record.get(k) for k in fields})))
        except ValidationError as error:
            for detail in error.errors():
                column = str(detail["loc"][0]) if detail["loc"] else None
                message = detail["msg"].removeprefix("Value error, ")
                problems.append(Problem(file, row_number, column, message))
    return rows, problems


def read_csv(path) -> pd.DataFrame:
    """A source CSV as text cells (no type guessing: '118.10' must not become 118.1), in whatever
    encoding a spreadsheet saved it (detected, as for imports); InputError naming the file if it
    cannot be read as CSV text."""
    from .ingest.workbook import UnreadableFile, decode_text

    path = Path(path)
    try:
        decoded = decode_text(path.read_bytes())
        return pd.read_csv(io.StringIO(decoded.text), dtype=str, keep_default_na=False)
    except (UnreadableFile, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        problem = Problem(path.name, None, None, _("cannot read the file: {error}", error=error))
        raise InputError([problem]) from None
