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
- recommending States differing from the store's: a problem.
Official tags the store lacks are added to existing recommendations too, except an official
action category where the recommendation already has one (the app expects exactly one).

It also compares, per cycle, what the store would hold after the import with the official totals
of the `cycles` table. `Preview.lines()` says all of it in plain lines.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .. import build, classify, countries, store
from ..problems import Problem
from . import current
from .model import SCHEME_ACTION, ParsedRecommendation, ParsedRecommendations, normalise_text

TEXT_NOTE_RATIO = 0.9
SHOWN = 10  # changes listed by name in the lines
KIND_LABELS = {
    "uhri": "OHCHR UHRI export",
    "uprinfo": "UPR Info database export",
    "template": "recommendations template",
}
APPENDED = ("recommendations", "response_history", "recommendation_states", "tags")


@dataclass(frozen=True)
class Change:
    rec_id: str
    old: str
    new: str


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
        }
        for name in APPENDED:
            table = self.tables.get(name)
            counts[f"{name}_rows"] = table.num_rows if table is not None else 0
        return counts

    def lines(self) -> list[str]:
        label = KIND_LABELS.get(self.kind, self.kind)
        total = len(self.new) + len(self.changed) + len(self.unchanged)
        lines = [f"{self.file} ({label}): {total} recommendations to {self.sur or '?'}"]
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s); nothing will be written:")
            lines += [f"  {p}" for p in self.problems]
        else:
            lines.append(f"new recommendations: {len(self.new)}")
            lines.append(f"positions changed (kept as history): {len(self.changed)}")
            lines += [f"  {c.rec_id}: {c.old} -> {c.new}" for c in self.changed[:SHOWN]]
            if len(self.changed) > SHOWN:
                lines.append(f"  ... and {len(self.changed) - SHOWN} more")
            lines.append(f"unchanged: {len(self.unchanged)}")
            tags = self.tables.get("tags")
            if tags is not None and tags.num_rows:
                official = sum(1 for p in tags.column("provenance").to_pylist() if p == "official")
                lines.append(
                    f"tags to add: {tags.num_rows} ({official} official, "
                    f"{tags.num_rows - official} from the classifier)"
                )
            if not self.writes:
                lines.append("nothing to write: the store already holds this file's content")
        lines += self.totals
        lines += [f"note: {n}" for n in self.notes]
        return lines


def _official_row(rid: str, tag, rule: str) -> dict:
    """A `tags` row for a tag the official source carries."""
    return dict(rec_id=rid, scheme=tag.scheme, code=tag.code, label=tag.label,
                provenance="official", rule=rule)  # fmt: skip


def _text_key(text: str) -> str:
    """Text without recommending-State brackets, for matching unnumbered texts."""
    return normalise_text(" ".join(classify.split_recommendations(text))).lower()


def _synthetic_minor(paragraph: str) -> int | None:
    major, _, minor = paragraph.partition(".")
    return int(minor) if major == "0" and minor.isdigit() else None


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
        self.tags = set(
            zip(tags["rec_id"], tags["scheme"], tags["code"], tags["provenance"], strict=True)
        )
        self.schemes = set(zip(tags["rec_id"], tags["scheme"], strict=True))
        groups = store.read_table(store_dir, "states").to_pandas()
        self.groups = dict(zip(groups["iso3"], groups["regional_group"], strict=True))
        cycles = store.read_table(store_dir, "cycles").to_pandas()
        self.cycles = cycles[cycles["sur"] == sur].set_index("cycle")
        self.by_text: dict[tuple[int, str], str] = {}
        self.synthetic: dict[int, int] = defaultdict(int)
        for rid, r in self.recs.items():
            self.by_text.setdefault((int(r["cycle"]), _text_key(r["text"])), rid)
            minor = _synthetic_minor(r["paragraph"])
            if minor is not None:
                self.synthetic[int(r["cycle"])] = max(self.synthetic[int(r["cycle"])], minor)


def preview(store_dir: Path, parsed: ParsedRecommendations) -> Preview:
    """Compare a parsed file with the store; nothing is written."""
    result = Preview(parsed.file, parsed.kind, parsed.sur)
    result.problems = list(parsed.problems)
    result.notes = list(parsed.notes)
    if result.problems or parsed.sur is None:
        if not result.problems:
            result.problems.append(Problem(parsed.file, None, None, "no State under review"))
        return result
    sur = parsed.sur
    held = _Store(Path(store_dir), sur)
    out: dict[str, list[dict]] = {name: [] for name in APPENDED}
    source_label = KIND_LABELS.get(parsed.kind, parsed.kind)
    rule = f"official: {source_label} ({parsed.file})"
    assigned: dict[str, int | None] = {}
    after: dict[str, tuple[int, str, set[str]]] = {}  # rec_id -> (cycle, response, States)
    skipped_actions = 0
    earlier = 0
    slight = 0

    for rec in parsed.recommendations:
        problems_before = len(result.problems)
        if rec.cycle not in held.cycles.index:
            result.problems.append(
                Problem(
                    parsed.file,
                    rec.row,
                    rec.column("cycle"),
                    f"cycle {rec.cycle} of {sur} is not in the store's cycles table",
                )
            )
        codes = list(dict.fromkeys(countries.to_iso3(n) for n in rec.states))
        for name, iso in zip(rec.states, (countries.to_iso3(n) for n in rec.states), strict=True):
            if iso not in held.groups:
                result.problems.append(
                    Problem(
                        parsed.file,
                        rec.row,
                        rec.column("states"),
                        f"{name!r} ({iso}) is not in the store's states table (no regional group)",
                    )
                )
        rid = _resolve_id(rec, sur, held)
        if rid in assigned:
            result.problems.append(
                Problem(
                    parsed.file,
                    rec.row,
                    rec.column("text"),
                    f"{rid} already comes from row {assigned[rid]}",
                )
            )
            continue
        assigned[rid] = rec.row
        stored = held.recs.get(rid)
        if stored is None:
            if len(result.problems) == problems_before:
                _add_new(out, rec, rid, sur, codes, held, rule)
                result.new.append(rid)
                after[rid] = (rec.cycle, rec.response, set(codes))
            continue

        # An existing recommendation: same text and States?
        same_text, ratio = _same_text(stored["text"], rec)
        if not same_text and ratio < TEXT_NOTE_RATIO:
            result.problems.append(
                Problem(
                    parsed.file,
                    rec.row,
                    rec.column("text"),
                    f"paragraph {rec.paragraph} (cycle {rec.cycle}) has another text in the store "
                    f"({rid}, similarity {ratio:.2f}): store {stored['text'][:70]!r}, "
                    f"file {rec.text[:70]!r}",
                )
            )
        elif not same_text:
            slight += 1
        if held.states[rid] != set(codes):
            result.problems.append(
                Problem(
                    parsed.file,
                    rec.row,
                    rec.column("states"),
                    f"recommending States of {rid} differ: store "
                    f"{', '.join(sorted(held.states[rid]))}; file {', '.join(sorted(codes))}",
                )
            )
        if len(result.problems) > problems_before:
            continue
        response = stored["response"]
        positions = [p for _, p in held.history.get(rid, [])]
        if rec.response == response:
            result.unchanged.append(rid)
        elif rec.response in positions[:-1]:
            earlier += 1
            result.unchanged.append(rid)
        else:
            seq = max((s for s, _ in held.history.get(rid, [])), default=0) + 1
            out["recommendations"].append(
                {
                    **stored,
                    "response": rec.response,
                    "response_source": rec.response_source,
                }
            )
            out["response_history"].append(
                dict(
                    rec_id=rid,
                    seq=seq,
                    response=rec.response,
                    stage="later",
                    note=f"Position changed from {response} to {rec.response} "
                    f"according to the {source_label} ({parsed.file}).",
                    source=rec.response_source,
                )
            )
            result.changed.append(Change(rid, response, rec.response))
            response = rec.response
        after[rid] = (rec.cycle, response, held.states[rid])
        for tag in rec.tags:
            if (rid, tag.scheme, tag.code, "official") in held.tags:
                continue
            if tag.scheme == SCHEME_ACTION and (rid, SCHEME_ACTION) in held.schemes:
                skipped_actions += 1
                continue
            out["tags"].append(_official_row(rid, tag, rule))

    if slight:
        result.notes.append(
            f"{slight} texts differ slightly from the store's (similarity >= {TEXT_NOTE_RATIO}); "
            "the store's texts are kept"
        )
    if earlier:
        result.notes.append(
            f"{earlier} positions in the file are ones the store records as earlier (before a "
            "later change): the later positions are kept"
        )
    if skipped_actions:
        result.notes.append(
            f"{skipped_actions} official action categories not added: those recommendations "
            "already have one"
        )
    if result.problems:
        return result
    result.tables = {
        "recommendations": build._frame("recommendations", out["recommendations"], []),
        "response_history": build._frame("response_history", out["response_history"], []),
        "recommendation_states": build._frame(
            "recommendation_states", out["recommendation_states"], []
        ),
        "tags": build._frame("tags", out["tags"], []),
    }
    result.totals = _totals(held, after, sorted({c for c, _, _ in after.values()}))
    return result


def _resolve_id(rec: ParsedRecommendation, sur: str, held: _Store) -> str:
    if rec.numbered:
        return build.rec_id(sur, rec.cycle, rec.paragraph)
    match = held.by_text.get((rec.cycle, _text_key(rec.text)))
    if match is not None:
        return match
    held.synthetic[rec.cycle] += 1
    return build.rec_id(sur, rec.cycle, f"0.{held.synthetic[rec.cycle]}")


def _same_text(stored: str, rec: ParsedRecommendation) -> tuple[bool, float]:
    if rec.numbered:
        a, b = normalise_text(stored), normalise_text(rec.text)
    else:
        a, b = _text_key(stored), _text_key(rec.text)
    if a == b:
        return True, 1.0
    return False, difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _add_new(out, rec: ParsedRecommendation, rid: str, sur: str, codes, held, rule) -> None:
    out["recommendations"].append(
        dict(
            rec_id=rid,
            sur=sur,
            cycle=rec.cycle,
            paragraph=rec.paragraph if rec.numbered else rid.rsplit("-", 1)[1],
            sort_key=build.paragraph_sort_key(rid.rsplit("-", 1)[1]),
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


def _totals(held: _Store, after: dict, cycles: list[int]) -> list[str]:
    """Per cycle touched: the store after the import beside the official totals."""
    lines = []
    for cycle in cycles:
        rows: dict[str, tuple[str, set[str]]] = {}
        for rid, r in held.recs.items():
            if int(r["cycle"]) == cycle:
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
            ("recommendations", "paragraphs"),
            ("supported", "supported"),
            ("noted", "noted"),
            ("recommending_states", "States"),
        ):
            value = figures[name]
            target = None if official is None else official.get(f"official_{name}")
            text = f"{value} {what}"
            if target is not None and not pd.isna(target):
                known = True
                if int(target) != value:
                    text += f" (official {int(target)})"
                    differs.append(what)
            parts.append(text)
            if name == "noted":
                for extra, label in (
                    ("partially_supported", "partially supported"),
                    ("pending", "pending"),
                ):
                    if responses.count(extra):
                        parts.append(f"{responses.count(extra)} {label}")
        if not known:
            verdict = "official totals not known here"
        elif differs:
            verdict = "differs from the official totals (" + ", ".join(differs) + ")"
        else:
            verdict = "matches the official totals"
        lines.append(f"cycle {cycle} after the import: {', '.join(parts)}: {verdict}")
    return lines
