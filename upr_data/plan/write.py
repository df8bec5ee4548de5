"""Writing the plan: institutions, plan items and progress on them, each write all or nothing
with its audit row, checked against the store inside the write's transaction (see
`store.write`). Nothing is edited or deleted: a corrected institution or item is a newer row with
the same id; a corrected progress report names the one it supersedes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pyarrow as pa

from .. import store
from ..access import Writer, require_writer
from ..i18n import _
from ..ingest.current import read_current, reconciled
from ..problems import InputError, Problem
from ..progress import _append, _audit, _new_id, _now, _summary, _table, _validate_one
from .model import InstitutionIn, PlanItemIn, ProgressIn, due_date, guess_kind


def _row(file: str, n: int) -> int | None:
    """A problem's row: the spreadsheet row of a file's record; none for a form."""
    return None if file == "form" else n


def name_key(name: str) -> str:
    """An institution's name as names are compared: case, spacing and punctuation ignored."""
    text = unicodedata.normalize("NFC", name).casefold()
    return re.sub(r"[\s\W_]+", " ", text).strip()


def institutions(store_dir) -> list[dict]:
    """The current row of every institution."""
    return read_current(store_dir, "institutions").to_pylist()


def _by_name(current: list[dict], sur: str) -> dict[str, dict]:
    found = {}
    for row in current:
        if row["sur"] != sur:
            continue
        for name in (row["name_en"], row["name_km"]):
            if name:
                found.setdefault(name_key(name), row)
    return found


class _Institutions:
    """Institutions named by id or name; a name the store does not know becomes a new one."""

    def __init__(self, store_dir, writer: Writer) -> None:
        self.current = institutions(store_dir)
        self.ids = {row["institution_id"]: row for row in self.current}
        self.names: dict[tuple[str, str], dict] = {}
        self.new: list[dict] = []
        self.writer = writer

    def resolve(self, given: str, sur: str) -> str | None:
        if given.upper() in self.ids:
            return given.upper() if self.ids[given.upper()]["sur"] == sur else None
        key = (sur, name_key(given))
        if key not in self.names:
            self.names.update({(sur, k): r for k, r in _by_name(self.current, sur).items()})
        if key not in self.names:
            khmer = any("\u1780" <= c <= "\u17ff" for c in given)
            row = dict(
                institution_id=_new_id("INS"),
                sur=sur,
                name_en=None if khmer else given,
                name_km=given if khmer else None,
                kind=guess_kind(given),
                entered_by=self.writer.who,
                entered_at=_now(),
            )
            self.new.append(row)
            self.names[key] = row
        return self.names[key]["institution_id"]


def _item_key(sur: str, recs: Iterable[str], responsible: str, action: str) -> tuple:
    return (sur, tuple(sorted(recs)), responsible, " ".join(action.casefold().split()))


def _recommendation(given: str, sur: str, cycle: int | None, known: dict[str, str]) -> str | None:
    """A recommendation's id from a plan: the id itself, or its paragraph number ("118.1") when
    the plan's cycle is known; a provisional id reconciled since gives its paragraph."""
    for candidate in (given, f"{sur}-{cycle}-{given}" if cycle else None):
        if candidate and candidate in known:
            return known[candidate]
    return None


def write_items(
    store_dir,
    numbered: list[tuple[int, PlanItemIn]],
    writer: Writer,
    *,
    file: str = "form",
    sha256: str | None = None,
    cycle: int | None = None,
) -> list[str]:
    """Validate plan items against the store, then append them (and any institution they name
    for the first time) with one audit row; returns the items' ids."""
    require_writer(writer)
    written: list[str] = []

    def compute() -> dict[str, pa.Table]:
        recs = read_current(store_dir, "recommendations").select(["rec_id", "sur", "response"])
        sur_of = dict(
            zip(recs.column("rec_id").to_pylist(), recs.column("sur").to_pylist(), strict=True)
        )
        known = {r: r for r in sur_of}
        known.update({p: r for p, r in reconciled(store_dir).items() if r in sur_of})
        items = {r["item_id"]: r for r in read_current(store_dir, "plan_items").to_pylist()}
        seen = {
            _item_key(r["sur"], r["rec_ids"].split(";"), r["responsible"], r["action"])
            for r in items.values()
            if not r["withdrawn"]
        }
        institutions_ = _Institutions(store_dir, writer)
        rows, problems = [], []
        for n, item in numbered:
            if not item.sur or item.sur not in set(sur_of.values()):
                problems.append(
                    Problem(
                        file,
                        _row(file, n),
                        "sur",
                        _("the store holds no recommendations to {sur}", sur=repr(item.sur)),
                    )
                )
                continue
            ids, unknown = [], []
            for given in item.rec_ids:
                found = _recommendation(given, item.sur, cycle, known)
                if found is None or sur_of[found] != item.sur:
                    unknown.append(given)
                else:
                    ids.append(found)
            if unknown:
                problems.append(
                    Problem(
                        file,
                        _row(file, n),
                        "rec_ids",
                        _("unknown recommendation {rec_id}", rec_id=", ".join(unknown[:5])),
                    )
                )
            responsible = institutions_.resolve(item.responsible, item.sur)
            if responsible is None:
                problems.append(
                    Problem(
                        file,
                        _row(file, n),
                        "responsible",
                        _("{id} is another State's institution", id=item.responsible),
                    )
                )
            supporting = [institutions_.resolve(s, item.sur) for s in item.supporting]
            if None in supporting:
                problems.append(
                    Problem(
                        file, _row(file, n), "supporting", _("names another State's institution")
                    )
                )
            if item.item_id and item.item_id.upper() not in items:
                problems.append(
                    Problem(
                        file, _row(file, n), "item_id", _("unknown plan item {id}", id=item.item_id)
                    )
                )
            key = _item_key(item.sur, ids, responsible or "", item.action)
            if not item.item_id and key in seen:
                problems.append(
                    Problem(
                        file, _row(file, n), None, _("duplicate: this plan item is already there")
                    )
                )
            seen.add(key)
            due, precision = due_date(item.timeline)
            rows.append(
                dict(
                    item.model_dump(exclude={"rec_ids", "supporting", "item_id"}),
                    item_id=item.item_id.upper() if item.item_id else _new_id("PLAN"),
                    rec_ids=";".join(dict.fromkeys(ids)),
                    responsible=responsible,
                    supporting=";".join(dict.fromkeys(s for s in supporting if s)) or None,
                    due_date=due,
                    due_precision=precision,
                    entered_by=writer.who,
                    entered_at=_now(),
                )
            )
        if problems:
            raise InputError(problems)
        written[:] = [r["item_id"] for r in rows]
        corrected = any(item.item_id for _n, item in numbered)
        action = (
            "import_plan" if sha256 else ("correct_plan_item" if corrected else "add_plan_item")
        )
        summary = _summary("plan items", written)
        if institutions_.new:
            summary += "; " + _summary(
                "new institutions", [r["institution_id"] for r in institutions_.new]
            )
        return {
            "plan_items": _table("plan_items", rows),
            "institutions": _table("institutions", institutions_.new),
            "audit": _audit(
                writer,
                action,
                summary,
                len(rows) + len(institutions_.new),
                None if file == "form" else file,
                sha256,
            ),
        }

    _append(store_dir, compute, file)
    return written


def add_item(store_dir, data: dict, writer: Writer) -> str:
    """One plan item from the form (or its correction, with `item_id`)."""
    require_writer(writer)
    return write_items(store_dir, [(1, _validate_one(PlanItemIn, data))], writer)[0]


def add_institution(store_dir, data: dict, writer: Writer) -> str:
    """A new institution, or (with `institution_id`) a corrected name or kind of one."""
    require_writer(writer)
    given = _validate_one(InstitutionIn, data)
    written: list[str] = []

    def compute() -> dict[str, pa.Table]:
        current = institutions(store_dir)
        surs = set(read_current(store_dir, "recommendations").column("sur").to_pylist())
        problems = []
        if given.sur not in surs:
            problems.append(
                Problem(
                    "form",
                    None,
                    "sur",
                    _("the store holds no recommendations to {sur}", sur=repr(given.sur)),
                )
            )
        ids = {r["institution_id"] for r in current}
        institution_id = (given.institution_id or "").upper() or None
        if institution_id and institution_id not in ids:
            problems.append(
                Problem(
                    "form", None, "institution_id", _("unknown institution {id}", id=institution_id)
                )
            )
        names = _by_name(current, given.sur)
        for name in (given.name_en, given.name_km):
            other = names.get(name_key(name)) if name else None
            if other and other["institution_id"] != institution_id:
                problems.append(
                    Problem(
                        "form",
                        None,
                        "name_en" if name == given.name_en else "name_km",
                        _(
                            "{name} is already institution {id}",
                            name=repr(name),
                            id=other["institution_id"],
                        ),
                    )
                )
        if problems:
            raise InputError(problems)
        row = dict(
            given.model_dump(),
            institution_id=institution_id or _new_id("INS"),
            entered_by=writer.who,
            entered_at=_now(),
        )
        written[:] = [row["institution_id"]]
        what = "correct_institution" if institution_id else "add_institution"
        return {
            "institutions": _table("institutions", [row]),
            "audit": _audit(
                writer, what, f"{row['institution_id']}: {row['name_en'] or row['name_km']}", 1
            ),
        }

    _append(store_dir, compute, "form")
    return written[0]


def write_progress(
    store_dir,
    numbered: list[tuple[int, ProgressIn]],
    writer: Writer,
    *,
    file: str = "form",
) -> list[str]:
    """Progress reports on plan items, checked against the items, evidence and assessments."""
    require_writer(writer)
    written: list[str] = []

    def compute() -> dict[str, pa.Table]:
        items = set(read_current(store_dir, "plan_items").column("item_id").to_pylist())
        evidence = set(store.read_table(store_dir, "evidence").column("evidence_id").to_pylist())
        assessments = set(
            store.read_table(store_dir, "assessments").column("assessment_id").to_pylist()
        )
        earlier = {
            r["progress_id"]: r for r in store.read_table(store_dir, "plan_progress").to_pylist()
        }
        problems = []
        for n, row in numbered:
            item_id = row.item_id.upper()
            if item_id not in items:
                problems.append(
                    Problem(
                        file, _row(file, n), "item_id", _("unknown plan item {id}", id=row.item_id)
                    )
                )
            if row.evidence_id and row.evidence_id not in evidence:
                problems.append(
                    Problem(
                        file,
                        _row(file, n),
                        "evidence_id",
                        _("unknown evidence {id}", id=row.evidence_id),
                    )
                )
            if row.assessment_id and row.assessment_id not in assessments:
                problems.append(
                    Problem(
                        file, n, "assessment_id", _("unknown assessment {id}", id=row.assessment_id)
                    )
                )
            if row.supersedes:
                old = earlier.get(row.supersedes)
                if old is None:
                    problems.append(
                        Problem(
                            file,
                            _row(file, n),
                            "supersedes",
                            _("unknown progress report {id}", id=row.supersedes),
                        )
                    )
                elif old["item_id"] != item_id:
                    problems.append(
                        Problem(
                            file,
                            _row(file, n),
                            "supersedes",
                            _("{id} is about {item}", id=row.supersedes, item=old["item_id"]),
                        )
                    )
        if problems:
            raise InputError(problems)
        rows = [
            dict(
                row.model_dump(),
                item_id=row.item_id.upper(),
                progress_id=_new_id("PP"),
                entered_by=writer.who,
                entered_at=_now(),
            )
            for _n, row in numbered
        ]
        written[:] = [r["progress_id"] for r in rows]
        return {
            "plan_progress": _table("plan_progress", rows),
            "audit": _audit(
                writer,
                "plan_progress",
                _summary("progress reports", [r["item_id"] for r in rows]),
                len(rows),
            ),
        }

    _append(store_dir, compute, file)
    return written


def add_progress(store_dir, data: dict, writer: Writer) -> str:
    require_writer(writer)
    return write_progress(store_dir, [(1, _validate_one(ProgressIn, data))], writer)[0]
