"""Which layout a file is in, from its extension and headers; and reading any of them."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from ..i18n import _
from ..problems import InputError, Problem
from ..settings import store_path
from . import template, uhri, uprinfo
from .headers import header_key, score
from .model import CycleIndex, ParsedRecommendations, cell_text
from .sheets import sheet_headers
from .workbook import CSV_SUFFIXES, EXCEL_SUFFIXES

Kind = Literal["uhri", "uprinfo", "template", "progress", "plan"]
KINDS: tuple[str, ...] = ("uhri", "uprinfo", "template", "progress")

# Progress files (assessments, evidence) belong to the progress importer; they are only detected.
PROGRESS_MARKERS = ({"status", "assessor role"}, {"direction", "summary"})


def _kind_of_row(row: list) -> str | None:
    keys = {header_key(v) for v in row if cell_text(v)}
    if any(marker <= keys for marker in PROGRESS_MARKERS):
        return "progress"
    if {"rec number", "recommending states", "text"} <= keys:
        return "template"
    from ..plan.importer import is_plan_row  # the plan importer reads through this package

    if is_plan_row(row):
        return "plan"
    uhri_found = score(row, uhri.COLUMNS)
    info_found = score(row, uprinfo.COLUMNS)
    if uhri_found >= 3 and uhri_found >= info_found:
        return "uhri"
    if info_found >= 3:
        return "uprinfo"
    return None


def detect_kind(path: Path) -> Kind:
    """ "uhri" | "uprinfo" | "template" | "progress" | "plan"; raises InputError saying why
    not."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES + CSV_SUFFIXES:
        raise InputError(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    _(
                        "unknown file type {suffix}: expected .xlsx, .xls, .ods or .csv",
                        suffix=repr(suffix),
                    ),
                )
            ]
        )
    try:
        sheets = sheet_headers(path)
    except Exception as error:
        raise InputError(
            [Problem(path.name, None, None, _("cannot read the file: {error}", error=error))]
        ) from None
    seen = []
    for name, head in sheets:
        for _number, row in head:
            kind = _kind_of_row(row)
            if kind is not None:
                return kind  # type: ignore[return-value]
        first = next((r for _, r in head if any(cell_text(v) for v in r)), [])
        names = ", ".join(cell_text(v) for v in first if cell_text(v)) or _("none")
        where = _("sheet {sheet}", sheet=repr(name)) if name else _("headers")
        seen.append(f"{where}: {names}")
    raise InputError(
        [
            Problem(
                path.name,
                None,
                None,
                _(
                    "not a known layout (UHRI export, UPR Info export, our template, progress "
                    "file, implementation plan); {seen}",
                    seen="; ".join(seen),
                ),
            )
        ]
    )


def read_file(
    path: Path,
    store_dir: Path | None = None,
    *,
    kind: str | None = None,
    state: str | None = None,
    cycle: int | None = None,
    cycles: CycleIndex | None = None,
) -> ParsedRecommendations:
    """Read a recommendations file of any layout (detected unless `kind` is given).

    `store_dir` (default: the configured store) supplies the `cycles` table that maps sessions
    and documents to cycles. Never raises for bad content: the problems are in the result.
    """
    path = Path(path)
    if kind is None:
        try:
            kind = detect_kind(path)
        except InputError as error:
            return ParsedRecommendations(path.name, "unknown", state, problems=error.problems)
    if kind == "plan":
        problem = Problem(
            path.name,
            None,
            None,
            _(
                "this is an implementation plan, not recommendations: import it as a plan "
                "(Data page, or `python -m upr_data import` with --state)"
            ),
        )
        return ParsedRecommendations(path.name, kind, state, problems=[problem])
    if kind not in KINDS:
        problem = Problem(
            path.name,
            None,
            None,
            _("unknown layout {kind}: one of {kinds}", kind=repr(kind), kinds=KINDS),
        )
        return ParsedRecommendations(path.name, kind, state, problems=[problem])
    if kind == "progress":
        problem = Problem(
            path.name,
            None,
            None,
            _(
                "this is a progress file (assessments or evidence), not recommendations: "
                "import it with the progress importer"
            ),
        )
        return ParsedRecommendations(path.name, kind, state, problems=[problem])
    if cycles is None:
        cycles = CycleIndex.from_store(store_dir or store_path())
    reader = {
        "uhri": uhri.read_uhri,
        "uprinfo": uprinfo.read_uprinfo,
        "template": template.read_template,
    }[kind]
    parsed = reader(path, cycles, state=state, cycle=cycle)
    parsed.sha256 = file_sha256(path)
    return parsed


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
