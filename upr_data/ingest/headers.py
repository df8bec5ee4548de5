"""Tolerant header mapping: case, spacing, underscores and the published typos do not matter.

Each layout lists its columns as `Column(role, label, aliases, required, after)`: one declared
table of aliases per layout. A header matches a column when its key (lower case, runs of spaces /
underscores / hyphens as one space) equals the key of the label or of an alias. Missing required
columns are problems; headers that match no column are reported as a note and ignored.

Some real files repeat a header name: the UPR Info database export has `SuR, Rgrp, Org, ...,
RS, Rgrp, Org`, the first pair describing the State under review and the second the recommending
State. A header that several columns accept goes to the column whose `after` role is the nearest
column to its left.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..i18n import _
from ..problems import Problem
from .model import cell_text


@dataclass(frozen=True)
class Column:
    role: str
    label: str  # the header as published
    aliases: tuple[str, ...] = ()
    required: bool = False
    after: str | None = None  # for a header name several columns share: the role it follows


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
            Problem(file, header_row, c.label, _("missing column") + _also(c)) for c in self.missing
        ]
        found += [
            Problem(file, header_row, h, _("this column appears twice (or two spellings of it)"))
            for h in self.repeated
        ]
        return found

    def notes(self, file: str) -> list[str]:
        if not self.unknown:
            return []
        return [
            _(
                "{file}: columns not used by this importer: {columns}",
                file=file,
                columns=", ".join(self.unknown),
            )
        ]


def _also(column: Column) -> str:
    if not column.aliases:
        return ""
    return " " + _("(also accepted: {aliases})", aliases=", ".join(column.aliases))


def map_headers(headers: Sequence, columns: Sequence[Column]) -> HeaderMap:
    keys: dict[str, list[Column]] = {}
    for column in columns:
        for name in (column.label, *column.aliases):
            keys.setdefault(header_key(name), []).append(column)
    result = HeaderMap()
    last_seen: dict[str, int] = {}  # role -> its position, for shared header names
    for position, header in enumerate(headers):
        printed = cell_text(header)
        if not printed:
            continue
        candidates = keys.get(header_key(printed))
        if not candidates:
            result.unknown.append(printed)
            continue
        column = _pick(candidates, result.index, last_seen)
        if column.role in result.index:
            result.repeated.append(printed)
            continue
        result.index[column.role] = position
        result.printed[column.role] = printed
        last_seen[column.role] = position
    result.missing = [c for c in columns if c.required and c.role not in result.index]
    return result


def _pick(candidates: list[Column], taken: dict[str, int], last_seen: dict[str, int]) -> Column:
    """Of the columns a header name fits, the one following the nearest anchor to its left."""
    if len(candidates) == 1:
        return candidates[0]
    free = [c for c in candidates if c.role not in taken] or candidates
    anchored = [c for c in free if c.after in last_seen]
    if anchored:
        return max(anchored, key=lambda c: last_seen[c.after])  # type: ignore[index]
    return free[0]


def score(headers: Sequence, columns: Sequence[Column]) -> int:
    """How many required columns a header row has (to pick the right sheet and header row)."""
    mapped = map_headers(headers, columns)
    return sum(1 for c in columns if c.required and c.role in mapped.index)
