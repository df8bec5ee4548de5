"""What an import would change in the store, before anything is written.

`preview(store_dir, parsed)` compares each parsed paragraph with the store's current row
(`current.read_current`):
- new paragraph: a recommendation row, its positions as history, its recommending States, the
  classifier's tags (`classify.classify`) and the file's official tags;
- same paragraph, other position: a "later" history row and a new current row (same rec_id,
  new response) that supersedes the stored one. If the file's position is one the store records
  as EARLIER in the history (a file listing positions at adoption), nothing changes: a note;
- same paragraph, text differing only in spacing, quotes, dashes or closing punctuation: same;
  differing a little (similarity >= TEXT_NOTE_RATIO): a note, the store's text is kept; differing
  more: a problem (the numbering does not match);
- recommending States differing from the store's: a problem;
- a row without a paragraph number (UPR Info): matched onto a stored paragraph of the same cycle
  and recommending State by its text (`match`), else a new recommendation with a provisional id
  (`KHM-3-UNNUMBERED.4`); ties are listed and not imported;
- a numbered paragraph that a provisional recommendation turns out to be: the provisional one is
  reconciled onto it (a `reconciliations` row; readers move its assessments and evidence links).
A cycle the store does not know for the State (or a State it does not know at all) gets a
`cycles` row from the file's session and document; its official totals stay unknown.
Official tags the store lacks are added to existing recommendations too, except a second official
action category. An official action category outranks the classifier's (a curator's outranks
both: `queries.EFFECTIVE_TAGS`).

It also compares, per cycle, what the store would hold after the import with the official totals
of the `cycles` table. `Preview.lines()` says all of it in plain lines.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .. import build, classify, countries, store
from ..countries import display_name
from ..i18n import N_, _
from ..problems import Problem
from . import current, match
from .model import SCHEME_ACTION, ParsedRecommendation, ParsedRecommendations, normalise_text

TEXT_NOTE_RATIO = 0.9
SHOWN = 10  # changes listed by name in the lines
KIND_LABELS = {
    "uhri": N_("OHCHR UHRI export"),
    "uprinfo": N_("UPR Info database export"),
    "template": N_("recommendations template"),
}
APPENDED = (
    "recommendations",
    "response_history",
    "recommendation_states",
    "tags",
    "reconciliations",
)


@dataclass(frozen=True)
class Change:
    rec_id: str
    old: str
    new: str


@dataclass(frozen=True)
class Ambiguity:
    """A row whose text fits several stored recommendations equally well: not imported."""

    row: int | None
    state: str
    text: str
    candidates: tuple[match.Candidate, ...]
    reconciling: str | None = None  # the numbered paragraph that was looking for it

    def __str__(self) -> str:
        fits = ", ".join(f"{c.rec_id} ({c.score:.2f})" for c in self.candidates)
        where = f"row {self.row}: " if self.row is not None else ""
        what = f"{self.reconciling} could be any of" if self.reconciling else "fits"
        return f"{where}{self.state}, {self.text[:60]!r}: {what} {fits}"


@dataclass
class Preview:
    file: str
    kind: str
    sur: str | None
    new: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)
    tables: dict[str, pa.Table] = field(default_factory=dict)
    # Rows without a paragraph number: matched onto stored paragraphs, or new (provisional ids)
    matched_rows: int = 0
    new_rows: int = 0
    ambiguous: list[Ambiguity] = field(default_factory=list)
    reconciled: list[Change] = field(default_factory=list)  # provisional id -> paragraph
    new_cycles: list[int] = field(default_factory=list)
    new_state: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def writes(self) -> bool:
        return any(t.num_rows for t in self.tables.values())

    def counts(self) -> dict[str, int]:
        counts = {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "problems": len(self.problems),
            "matched_rows": self.matched_rows,
            "new_rows": self.new_rows,
            "ambiguous": len(self.ambiguous),
            "reconciled": len(self.reconciled),
            "new_cycles": len(self.new_cycles),
        }
        for name in (*APPENDED, "cycles"):
            table = self.tables.get(name)
            counts[f"{name}_rows"] = table.num_rows if table is not None else 0
        return counts

    def lines(self) -> list[str]:
        """The preview in plain lines, in the reader's language."""
        label = _(KIND_LABELS.get(self.kind, self.kind))
        total = len(self.new) + len(self.changed) + len(self.unchanged)
        lines = [
            _("{file} ({label}): {total} recommendations to {sur}", file=self.file, label=label,
              total=total, sur=self.sur or "?")
        ]  # fmt: skip
        if self.problems:
            lines.append(_("{n} problem(s); nothing will be written:", n=len(self.problems)))
            lines += [f"  {p}" for p in self.problems]
        else:
            if self.new_state:
                lines.append(
                    _("new State under review: {name} ({sur})",
                      name=display_name(self.sur or ""), sur=self.sur)
                )  # fmt: skip
            if self.new_cycles:
                cycles = ", ".join(str(c) for c in self.new_cycles)
                lines.append(
                    _("new cycle(s) of {sur}: {cycles} (from the file's sessions)",
                      sur=self.sur, cycles=cycles)
                )  # fmt: skip
            unnumbered = self.matched_rows + self.new_rows + len(self.ambiguous)
            if unnumbered:
                lines.append(
                    _("rows without a paragraph number: {n}: {matched} matched to stored "
                      "paragraphs, {new} new (provisional ids, paragraph not known), {ambiguous} "
                      "ambiguous", n=unnumbered, matched=self.matched_rows, new=self.new_rows,
                      ambiguous=len(self.ambiguous))
                )  # fmt: skip
            if self.ambiguous:
                lines.append(
                    _("ambiguous (not imported; the text fits several stored recommendations "
                      "within {margin}):", margin=f"{match.TIE_MARGIN:.2f}")
                )  # fmt: skip
                lines += [f"  {a}" for a in self.ambiguous]
            if self.reconciled:
                lines.append(
                    _("provisional recommendations placed on their paragraphs: {n} (their "
                      "assessments, evidence links and tags follow)", n=len(self.reconciled))
                )  # fmt: skip
                lines += [f"  {c.old} -> {c.new}" for c in self.reconciled[:SHOWN]]
                if len(self.reconciled) > SHOWN:
                    lines.append(_("  ... and {n} more", n=len(self.reconciled) - SHOWN))
            lines.append(_("new recommendations: {n}", n=len(self.new)))
            lines.append(_("positions changed (kept as history): {n}", n=len(self.changed)))
            lines += [f"  {c.rec_id}: {c.old} -> {c.new}" for c in self.changed[:SHOWN]]
            if len(self.changed) > SHOWN:
                lines.append(_("  ... and {n} more", n=len(self.changed) - SHOWN))
            lines.append(_("unchanged: {n}", n=len(self.unchanged)))
            tags = self.tables.get("tags")
            if tags is not None and tags.num_rows:
                official = sum(1 for p in tags.column("provenance").to_pylist() if p == "official")
                lines.append(
                    _("tags to add: {n} ({official} official, {classifier} from the classifier)",
                      n=tags.num_rows, official=official, classifier=tags.num_rows - official)
                )  # fmt: skip
            if not self.writes:
                lines.append(_("nothing to write: the store already holds this file's content"))
        lines += self.totals
        lines += [_("note: {note}", note=n) for n in self.notes]
        return lines


def _official_row(rid: str, tag, rule: str) -> dict:
    """A `tags` row for a tag the official source carries."""
    return dict(rec_id=rid, scheme=tag.scheme, code=tag.code, label=tag.label,
                provenance="official", rule=rule)  # fmt: skip


class _Store:
    """The store's current rows of one State under review, indexed for the comparison."""

    def __init__(self, store_dir: Path, sur: str):
        recs = current.read_current(store_dir, "recommendations").to_pandas()
        self.recs = {r["rec_id"]: r for r in recs[recs["sur"] == sur].to_dict(orient="records")}
        rs = store.read_table(store_dir, "recommendation_states").to_pandas()
        self.states: dict[str, set[str]] = defaultdict(set)
        for rid, iso in zip(rs["rec_id"], rs["state_iso3"], strict=True):
            self.states[rid].add(iso)
        history = store.read_table(store_dir, "response_history").to_pandas()
        self.history: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for rid, seq, response in zip(
            history["rec_id"], history["seq"], history["response"], strict=True
        ):
            self.history[rid].append((int(seq), response))
        for positions in self.history.values():
            positions.sort()
        tags = store.read_table(store_dir, "tags").to_pandas()
        self.tag_rows: dict[str, list[dict]] = defaultdict(list)
        for row in tags.to_dict(orient="records"):
            self.tag_rows[row["rec_id"]].append(row)
        self.tags = set(
            zip(tags["rec_id"], tags["scheme"], tags["code"], tags["provenance"], strict=True)
        )
        self.official_action = set(
            tags.loc[
                (tags["scheme"] == SCHEME_ACTION) & (tags["provenance"] == "official"), "rec_id"
            ]
        )
        groups = store.read_table(store_dir, "states").to_pandas()
        self.groups = dict(zip(groups["iso3"], groups["regional_group"], strict=True))
        cycles = store.read_table(store_dir, "cycles").to_pandas()
        self.cycles = cycles[cycles["sur"] == sur].drop_duplicates("cycle").set_index("cycle")
        self.index = match.TextIndex()
        self.provisional: dict[int, int] = defaultdict(int)  # cycle -> highest number used
        for rid, r in self.recs.items():
            cycle = int(r["cycle"])
            self.index.add(rid, cycle, r["paragraph"], r["text"], self.states[rid])
            number = match.provisional_number(r["paragraph"])
            if number is not None:
                self.provisional[cycle] = max(self.provisional[cycle], number)

    def next_provisional(self, cycle: int) -> str:
        self.provisional[cycle] += 1
        return match.provisional_paragraph(self.provisional[cycle])


class _Planner:
    """Builds a Preview: what each parsed recommendation adds or changes."""

    def __init__(self, parsed: ParsedRecommendations, held: _Store, result: Preview):
        self.parsed, self.held, self.result = parsed, held, result
        self.sur = parsed.sur or ""
        self.out: dict[str, list[dict]] = {name: [] for name in APPENDED}
        label = KIND_LABELS.get(parsed.kind, parsed.kind)
        self.source_label = label
        self.rule = f"official: {label} ({parsed.file})"
        self.assigned: dict[str, int | None] = {}
        # rec_id -> (cycle, response, States) after the import; provisional ids it retires
        self.after: dict[str, tuple[int, str, set[str]]] = {}
        self.gone: set[str] = set()
        self.matched: dict[str, list[ParsedRecommendation]] = defaultdict(list)
        self.skipped_actions = self.earlier = self.slight = 0

    # -- one recommendation of the file ---------------------------------------------------------

    def add(self, rec: ParsedRecommendation) -> None:
        file, result = self.parsed.file, self.result
        before = len(result.problems)
        codes = list(dict.fromkeys(countries.to_iso3(n) for n in rec.states))
        for name in rec.states:
            iso = countries.to_iso3(name)
            if iso not in self.held.groups:
                result.problems.append(
                    Problem(
                        file,
                        _row_of(rec, name),
                        rec.column("states"),
                        _(
                            "{name} ({code}) is not in the store's states table (no regional "
                            "group)",
                            name=repr(name),
                            code=iso,
                        ),
                    )
                )
        if len(result.problems) > before:
            return
        if rec.numbered:
            self._numbered(rec, codes)
        else:
            self._unnumbered(rec)

    def _numbered(self, rec: ParsedRecommendation, codes: list[str]) -> None:
        file, result = self.parsed.file, self.result
        rid = build.rec_id(self.sur, rec.cycle, rec.paragraph)
        if rid in self.assigned:
            result.problems.append(
                Problem(
                    file,
                    rec.row,
                    rec.column("text"),
                    _("{rec_id} already comes from row {row}", rec_id=rid, row=self.assigned[rid]),
                )
            )
            return
        self.assigned[rid] = rec.row
        self._reconcile(rec, rid, codes)
        stored = self.held.recs.get(rid)
        if stored is None:
            self._new(rec, rid, codes)
            return
        before = len(result.problems)
        same_text, ratio = _same_text(stored["text"], rec.text)
        if not same_text and ratio < TEXT_NOTE_RATIO:
            result.problems.append(
                Problem(
                    file,
                    rec.row,
                    rec.column("text"),
                    _(
                        "paragraph {paragraph} (cycle {cycle}) has another text in the store "
                        "({rec_id}, similarity {ratio}): store {stored}, file {text}",
                        paragraph=rec.paragraph,
                        cycle=rec.cycle,
                        rec_id=rid,
                        ratio=f"{ratio:.2f}",
                        stored=repr(stored["text"][:70]),
                        text=repr(rec.text[:70]),
                    ),
                )
            )
        elif not same_text:
            self.slight += 1
        if self.held.states[rid] != set(codes):
            result.problems.append(
                Problem(
                    file,
                    rec.row,
                    rec.column("states"),
                    _(
                        "recommending States of {rec_id} differ: store {stored}; file {file}",
                        rec_id=rid,
                        stored=", ".join(sorted(self.held.states[rid])),
                        file=", ".join(sorted(codes)),
                    ),
                )
            )
        if len(result.problems) > before:
            return
        self._position(rid, stored, rec.response, rec.response_source)
        self._tags(rid, rec.tags)

    def _unnumbered(self, rec: ParsedRecommendation) -> None:
        """Each recommending State's row goes to its stored paragraph, or to a new provisional
        recommendation; a tie is listed and not imported."""
        unmatched: list[str] = []
        for name in rec.states:
            iso = countries.to_iso3(name)
            found = self.held.index.best(rec.cycle, iso, rec.text)
            if found.ambiguous:
                self.result.ambiguous.append(
                    Ambiguity(_row_of(rec, name), name, rec.text, found.ties)
                )
            elif found.rec_id is not None:
                self.matched[found.rec_id].append(rec)
                self.result.matched_rows += 1
            else:
                unmatched.append(name)
        if unmatched:
            provisional = replace(rec, states=tuple(unmatched))
            rid = build.rec_id(self.sur, rec.cycle, self.held.next_provisional(rec.cycle))
            self._new(provisional, rid, [countries.to_iso3(n) for n in unmatched])
            self.result.new_rows += len(unmatched)

    def finish_matched(self) -> None:
        """Rows matched onto stored paragraphs: one position and the tags of all of them."""
        for rid, recs in self.matched.items():
            stored = self.held.recs[rid]
            responses = sorted({r.response for r in recs})
            if len(responses) > 1:
                rows = ", ".join(str(r.row) for r in recs)
                self.result.notes.append(
                    _(
                        "rows {rows} fall on {rec_id} with different responses ({responses}): "
                        "the store's position ({stored}) is kept",
                        rows=rows,
                        rec_id=rid,
                        responses=", ".join(responses),
                        stored=stored["response"],
                    )
                )
                self.after[rid] = (int(stored["cycle"]), stored["response"], self.held.states[rid])
            else:
                self._position(rid, stored, recs[0].response, recs[0].response_source)
            self._tags(rid, tuple(dict.fromkeys(t for r in recs for t in r.tags)))

    # -- writing rows ---------------------------------------------------------------------------

    def _new(self, rec: ParsedRecommendation, rid: str, codes: list[str]) -> None:
        paragraph = rid.split("-", 2)[2]
        _add_new(self.out, rec, rid, paragraph, self.sur, codes, self.held, self.rule)
        self.result.new.append(rid)
        self.after[rid] = (rec.cycle, rec.response, set(codes))

    def _position(self, rid: str, stored: dict, response: str, source: str | None) -> None:
        current_response = stored["response"]
        positions = [p for _, p in self.held.history.get(rid, [])]
        if response == current_response:
            self.result.unchanged.append(rid)
        elif response in positions[:-1]:
            self.earlier += 1
            self.result.unchanged.append(rid)
        else:
            seq = max((s for s, _ in self.held.history.get(rid, [])), default=0) + 1
            self.out["recommendations"].append(
                {**stored, "response": response, "response_source": source}
            )
            self.out["response_history"].append(
                dict(
                    rec_id=rid,
                    seq=seq,
                    response=response,
                    stage="later",
                    note=f"Position changed from {current_response} to {response} "
                    f"according to the {self.source_label} ({self.parsed.file}).",
                    source=source,
                )
            )
            self.result.changed.append(Change(rid, current_response, response))
            current_response = response
        self.after[rid] = (int(stored["cycle"]), current_response, self.held.states[rid])

    def _tags(self, rid: str, tags) -> None:
        for tag in tags:
            if (rid, tag.scheme, tag.code, "official") in self.held.tags:
                continue
            if tag.scheme == SCHEME_ACTION and rid in self.held.official_action:
                self.skipped_actions += 1  # one official action category per recommendation
                continue
            self.out["tags"].append(_official_row(rid, tag, self.rule))
            self.held.tags.add((rid, tag.scheme, tag.code, "official"))
            if tag.scheme == SCHEME_ACTION:
                self.held.official_action.add(rid)

    def _reconcile(self, rec: ParsedRecommendation, rid: str, codes: list[str]) -> None:
        """Provisional recommendations (imported without a number) that this numbered paragraph
        is: they are reconciled onto it, with their official and curator tags."""
        for iso in codes:
            found = self.held.index.best(rec.cycle, iso, rec.text, provisional_only=True)
            if found.ambiguous:
                self.result.ambiguous.append(
                    Ambiguity(rec.row, iso, rec.text, found.ties, reconciling=rid)
                )
            pid = found.rec_id
            if pid is None or pid in self.gone or pid == rid:
                continue
            self.gone.add(pid)
            self.out["reconciliations"].append(
                dict(provisional_id=pid, rec_id=rid, score=found.score, file_name=self.parsed.file)
            )
            self.result.reconciled.append(Change(pid, pid, rid))
            kept = [t for t in self.held.tag_rows.get(pid, []) if t["provenance"] != "classifier"]
            for tag in kept:
                key = (rid, tag["scheme"], tag["code"], tag["provenance"])
                if key in self.held.tags:
                    continue
                self.held.tags.add(key)
                self.out["tags"].append({**tag, "rec_id": rid})

    def new_cycles(self) -> list[dict]:
        """A cycles row for each cycle of the file the store does not know for this State."""
        rows = []
        for cycle in sorted({r.cycle for r in self.parsed.recommendations}):
            if cycle in self.held.cycles.index:
                continue
            recs = [r for r in self.parsed.recommendations if r.cycle == cycle]
            sessions = Counter(r.session for r in recs if r.session is not None)
            documents = Counter(r.document for r in recs if r.document)
            rows.append(
                dict(
                    sur=self.sur,
                    cycle=cycle,
                    wg_session=sessions.most_common(1)[0][0] if sessions else None,
                    wg_report=documents.most_common(1)[0][0] if documents else None,
                    sources=f"from the {self.source_label} ({self.parsed.file}); "
                    "official totals not known here",
                )
            )
        return rows


def preview(store_dir: Path, parsed: ParsedRecommendations) -> Preview:
    """Compare a parsed file with the store; nothing is written."""
    result = Preview(parsed.file, parsed.kind, parsed.sur)
    result.problems = list(parsed.problems)
    result.notes = list(parsed.notes)
    if result.problems or parsed.sur is None:
        if not result.problems:
            result.problems.append(Problem(parsed.file, None, None, _("no State under review")))
        return result
    held = _Store(Path(store_dir), parsed.sur)
    result.new_state = not held.recs and held.cycles.empty
    plan = _Planner(parsed, held, result)
    for rec in parsed.recommendations:
        plan.add(rec)
    plan.finish_matched()
    if plan.slight:
        result.notes.append(
            _(
                "{n} texts differ slightly from the store's (similarity >= {ratio}); the store's "
                "texts are kept",
                n=plan.slight,
                ratio=TEXT_NOTE_RATIO,
            )
        )
    if plan.earlier:
        result.notes.append(
            _(
                "{n} positions in the file are ones the store records as earlier (before a later "
                "change): the later positions are kept",
                n=plan.earlier,
            )
        )
    if plan.skipped_actions:
        result.notes.append(
            _(
                "{n} official action categories not added: those recommendations already have "
                "another official one",
                n=plan.skipped_actions,
            )
        )
    if result.problems:
        return result
    cycles = plan.new_cycles()
    result.new_cycles = [c["cycle"] for c in cycles]
    result.tables = {name: build._frame(name, plan.out[name], []) for name in APPENDED}
    result.tables["cycles"] = build._frame("cycles", cycles, [])
    touched = sorted({c for c, _, _ in plan.after.values()} | set(result.new_cycles))
    result.totals = _totals(held, plan.after, plan.gone, touched)
    return result


def _row_of(rec: ParsedRecommendation, name: str) -> int | None:
    return next((row for state, row in rec.state_rows if state == name), rec.row)


def _same_text(stored: str, text: str) -> tuple[bool, float]:
    a, b = normalise_text(stored), normalise_text(text)
    if a == b:
        return True, 1.0
    return False, difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _add_new(out, rec: ParsedRecommendation, rid, paragraph, sur, codes, held, rule) -> None:
    out["recommendations"].append(
        dict(
            rec_id=rid,
            sur=sur,
            cycle=rec.cycle,
            paragraph=paragraph,
            sort_key=build.paragraph_sort_key(paragraph),
            text=rec.text,
            response=rec.response,
            document=rec.document,
            text_source=rec.text_source,
            response_source=rec.response_source,
        )
    )
    for seq, position in enumerate(rec.positions(), start=1):
        out["response_history"].append(
            dict(
                rec_id=rid,
                seq=seq,
                response=position.response,
                stage=position.stage,
                note=position.note,
                source=position.source,
            )
        )
    for iso in codes:
        out["recommendation_states"].append(
            dict(
                rec_id=rid,
                state_iso3=iso,
                name_as_printed=_first_name(rec, iso),
                regional_group=held.groups[iso],
            )
        )
    official_action = any(t.scheme == SCHEME_ACTION for t in rec.tags)
    skip = frozenset({SCHEME_ACTION}) if official_action else frozenset()
    out["tags"].extend(classify.tag_rows(rid, rec.text, skip))
    for tag in rec.tags:
        out["tags"].append(_official_row(rid, tag, rule))


def _first_name(rec: ParsedRecommendation, iso: str) -> str:
    return next(n for n in rec.states if countries.to_iso3(n) == iso)


def _totals(held: _Store, after: dict, gone: set[str], cycles: list[int]) -> list[str]:
    """Per cycle touched: the store after the import beside the official totals."""
    lines = []
    for cycle in cycles:
        rows: dict[str, tuple[str, set[str]]] = {}
        for rid, r in held.recs.items():
            if int(r["cycle"]) == cycle and rid not in gone:
                rows[rid] = (r["response"], held.states[rid])
        for rid, (c, response, states) in after.items():
            if c == cycle:
                rows[rid] = (response, states)
        responses = [r for r, _ in rows.values()]
        figures = {
            "recommendations": len(rows),
            "supported": responses.count("supported"),
            "noted": responses.count("noted"),
            "recommending_states": len(set().union(*(s for _, s in rows.values()))),
        }
        official = held.cycles.loc[cycle] if cycle in held.cycles.index else None
        parts, differs, known = [], [], False
        for name, what in (
            ("recommendations", N_("paragraphs")),
            ("supported", N_("supported")),
            ("noted", N_("noted")),
            ("recommending_states", N_("States")),
        ):
            value = figures[name]
            target = None if official is None else official.get(f"official_{name}")
            text = f"{value} {_(what)}"
            if target is not None and not pd.isna(target):
                known = True
                if int(target) != value:
                    text += _(" (official {n})", n=int(target))
                    differs.append(_(what))
            parts.append(text)
            if name == "noted":
                for extra, label in (
                    ("partially_supported", N_("partially supported")),
                    ("pending", N_("pending")),
                ):
                    if responses.count(extra):
                        parts.append(f"{responses.count(extra)} {_(label)}")
        if not known:
            verdict = _("official totals not known here")
        elif differs:
            verdict = _("differs from the official totals ({what})", what=", ".join(differs))
        else:
            verdict = _("matches the official totals")
        lines.append(
            _("cycle {cycle} after the import: {parts}: {verdict}",
              cycle=cycle, parts=", ".join(parts), verdict=verdict)
        )  # fmt: skip
    return lines
