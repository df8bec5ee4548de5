"""Tolerant header mapping: case, spacing, underscores and the published typos do not matter.

Each layout lists its columns as `Column(role, label, aliases, required)`. A header matches a
column when its key (lower case, runs of spaces / underscores / hyphens as one space) equals the
key of the label or of an alias. Missing required columns are problems; headers that match no
column are reported as a note and ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..problems import Problem
from .model import cell_text


@dataclass(frozen=True)
class Column:
    role: str
    label: str  # the header as published
    aliases: tuple[str, ...] = ()
    required: bool = False


def header_key(value) -> str:
    text = cell_text(value).lower().replace("\ufeff", "")
    return re.sub(r"[\s_\-]+", " ", text).strip(" :*")


@dataclass
class HeaderMap:
    index: dict[str, int] = field(default_factory=dict)  # role -> column position
    printed: dict[str, str] = field(default_factory=dict)  # role -> header as in the file
    missing: list[Column] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)

    def has(self, role: str) -> bool:
        return role in self.index

    def get(self, row: Sequence, role: str):
        i = self.index.get(role)
        return row[i] if i is not None and i < len(row) else None

    def problems(self, file: str, header_row: int | None) -> list[Problem]:
        found = [
            Problem(file, header_row, c.label, "missing column" + _also(c)) for c in self.missing
        ]
        found += [
            Problem(file, header_row, h, "this column appears twice (or two spellings of it)")
            for h in self.repeated
        ]
        return found

    def notes(self, file: str) -> list[str]:
        if not self.unknown:
            return []
        return [f"{file}: columns not used by this importer: {', '.join(self.unknown)}"]


def _also(column: Column) -> str:
    return f" (also accepted: {', '.join(column.aliases)})" if column.aliases else ""


def map_headers(headers: Sequence, columns: Sequence[Column]) -> HeaderMap:
    keys: dict[str, Column] = {}
    for column in columns:
        for name in (column.label, *column.aliases):
            keys[header_key(name)] = column
    result = HeaderMap()
    for position, header in enumerate(headers):
        printed = cell_text(header)
        if not printed:
            continue
        column = keys.get(header_key(printed))
        if column is None:
            result.unknown.append(printed)
        elif column.role in result.index:
            result.repeated.append(printed)
        else:
            result.index[column.role] = position
            result.printed[column.role] = printed
    result.missing = [c for c in columns if c.required and c.role not in result.index]
    return result


def score(headers: Sequence, columns: Sequence[Column]) -> int:
    """How many required columns a header row has (to pick the right sheet and header row)."""
    mapped = map_headers(headers, columns)
    return sum(1 for c in columns if c.required and c.role in mapped.index)
