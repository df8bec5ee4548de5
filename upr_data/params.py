"""Reading URL parameters: one place, and nothing in it can raise.

A link is typed by anyone, so every value is untrusted: it may repeat thousands of times, be
megabytes long, hold control characters, or be a digit that is not ASCII ("²" passes
`str.isdigit()` but `int()` refuses it). `read` takes whatever Streamlit parsed and keeps at most
`MAX_VALUES` values per parameter, each cut to `MAX_CHARS` characters with control characters
removed; the helpers below then turn a value into a number, a choice or an id, falling back to a
default (with a note) rather than failing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .i18n import _

MAX_VALUES = 50  # values kept per parameter
MAX_CHARS = 400  # characters kept per value (the search text keeps 200 of them)
MAX_PARAMS = 40  # distinct parameters read from one link
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_ASCII_DIGITS = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Params:
    """The parameters of one link, bounded; `notes` says what was cut."""

    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def all(self, name: str) -> list[str]:
        return list(self.values.get(name, ()))

    def first(self, name: str, default: str = "") -> str:
        found = self.values.get(name, ())
        return found[0] if found else default

    def __contains__(self, name: object) -> bool:
        return name in self.values


def clean_value(value: object) -> str:
    """One value as text: control and invisible formatting characters removed, cut to MAX_CHARS."""
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:  # an object whose str() fails: nothing usable
        return ""
    return _CONTROL.sub("", text[: MAX_CHARS * 4])[:MAX_CHARS]


def read(source: object, names: Iterable[str] | None = None) -> Params:
    """Bounded parameters from st.query_params (anything with `get_all`, or a mapping of a name
    to a value or list of values). Never raises."""
    values: dict[str, tuple[str, ...]] = {}
    notes: list[str] = []
    try:
        keys = list(names) if names is not None else list(_keys(source))
    except Exception:
        keys = []
    for key in keys[:MAX_PARAMS]:
        try:
            raw = _get_all(source, key)
        except Exception:
            continue
        if not raw:
            continue
        if len(raw) > MAX_VALUES:
            notes.append(
                _(
                    "Only the first {limit} of {n} values of “{name}” in the link were read.",
                    limit=MAX_VALUES,
                    n=len(raw),
                    name=clean_value(key)[:40],
                )
            )
        values[clean_value(key)] = tuple(clean_value(v) for v in raw[:MAX_VALUES])
    return Params(values, tuple(notes))


def _keys(source: object) -> Iterable[str]:
    if hasattr(source, "keys"):
        return source.keys()  # type: ignore[union-attr]
    return ()


def _get_all(source: object, key: str) -> list:
    if hasattr(source, "get_all"):
        return list(source.get_all(key))  # type: ignore[union-attr]
    value = source.get(key) if isinstance(source, Mapping) else None  # type: ignore[union-attr]
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def number(text: str, default: int, lowest: int, highest: int) -> int:
    """An ASCII whole number within [lowest, highest]; `default` for anything else."""
    value = text.strip() if isinstance(text, str) else ""
    if not _ASCII_DIGITS.fullmatch(value):
        return default
    return min(max(int(value), lowest), highest)


def choice(text: str, choices: Iterable[str], default: str) -> str:
    """One of `choices` (matched case-insensitively); `default` for anything else."""
    options = {c.lower(): c for c in choices}
    value = text.strip().lower() if isinstance(text, str) else ""
    return options.get(value, default)


def identifier(text: str, pattern: str = r"[A-Za-z0-9][A-Za-z0-9.\-_]{0,59}") -> str | None:
    """An id such as a recommendation id (KHM-2-118.1), or None when the value cannot be one."""
    value = text.strip() if isinstance(text, str) else ""
    return value if re.fullmatch(pattern, value) else None
