"""A newer snapshot applied to the database of an older one (`incremental.connect_from`) answers
exactly as the snapshot read whole (`queries.connect`), after every kind of write the app makes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests import layouts
from tests.test_ingest import synthetic, uhri_file
from upr_data import incremental, progress, queries, store
from upr_data.access import Writer
from upr_data.filters import Filters
from upr_data.ingest import commit, read_file
from upr_data.plan import queries as plan_queries
from upr_data.plan import write as plan_write

EDITOR = Writer("editor@example.org", "editor")
FILTERS = [
    Filters(),
    Filters(sur="SVN"),
    Filters(responses=("noted",)),
    Filters(statuses=("not_implemented",)),
    Filters(themes=("women",), text="SYNTHETIC"),
]


def _tables(con) -> dict[str, pd.DataFrame]:
    """Every table and view of the database, rows in a fixed order."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY ALL"
        ).fetchall()
    ]
    found = {}
    for name in names:
        frame = con.execute(f'SELECT * FROM "{name}"').df()
        if name == "text_words":  # a word's `rids` are a list gathered in no set order
            frame["rids"] = frame["rids"].map(sorted)
        frame = frame.astype(str).sort_values(list(frame.columns), ignore_index=True)
        found[name] = frame
    return found


def _answers(con) -> dict[str, object]:
    """What the views ask, under several filters."""
    found: dict[str, object] = {}
    for i, f in enumerate(FILTERS):
        found[f"summary{i}"] = queries.summary(con, f)
        found[f"themes{i}"] = queries.by_theme_response(con, f, "states")
        found[f"roles{i}"] = queries.by_role_status(con, f)
        found[f"states{i}"] = queries.by_state(con, f)
        found[f"list{i}"] = queries.recommendations(con, f)
        found[f"evidence{i}"] = queries.evidence_timeline(con, f)
        found[f"assessments{i}"] = queries.assessment_timeline(con, f)
    found["coverage"] = queries.coverage(con)
    found["integrity"] = queries.integrity_problems(con)
    found["evidence problems"] = queries.evidence_problems(con, date(2026, 1, 1))
    for rec_id in ("SVN-3-110.1", "SVN-3-UNNUMBERED.1", "KHM-2-118.1"):
        detail = queries.recommendation(con, rec_id)
        found[rec_id] = None if detail is None else {k: v for k, v in detail.items()}
    return found


def _same(got, expected, where: str) -> None:
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(got, expected, obj=where)
    elif isinstance(expected, dict):
        assert got.keys() == expected.keys(), where
        for key in expected:
            _same(got[key], expected[key], f"{where}[{key}]")
    else:
        assert got == expected, where


class Pickup:
    """The database a server holds, moved on after each write as the app moves it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.version = store.snapshot_id(folder)
        self.con = queries.connect(folder, at=self.version)

    def follow(self, what: str, patched: bool | None) -> None:
        """Move on to the newest snapshot; `patched`: only the touched facts were made again
        (False: that was tried and refused, None: not tried)."""
        version = store.snapshot_id(self.folder)
        assert version > self.version, f"{what} wrote nothing"
        before = _answers(self.con)
        made: list[bool] = []
        real = incremental._patch

        def recorded(*args):
            made.append(real(*args))
            return made[-1]

        incremental._patch = recorded
        try:
            moved = incremental.connect_from(self.con, self.folder, self.version, version)
        finally:
            incremental._patch = real
        assert made == ([] if patched is None else [patched]), what
        assert moved is not self.con
        whole = queries.connect(self.folder, at=version)
        types = (
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "ORDER BY table_name, ordinal_position"
        )
        assert moved.execute(types).fetchall() == whole.execute(types).fetchall(), what
        held, fresh = _tables(moved), _tables(whole)
        assert held.keys() == fresh.keys(), what
        for name in fresh:
            pd.testing.assert_frame_equal(held[name], fresh[name], obj=f"{what}: {name}")
        _same(_answers(moved), _answers(whole), what)
        # The older database is untouched: sessions still showing it see what they saw.
        _same(_answers(self.con), before, f"{what} (the older snapshot)")
        self.con, self.version = moved, version


def _import(path: Path, folder: Path, **options) -> None:
    commit(folder, read_file(path, folder, **options))


def test_every_kind_of_write_picked_up_answers_as_a_full_read(tmp_path: Path, bundled_copy: Path):
    server = Pickup(bundled_copy)
    # An import adding recommendations without paragraph numbers (provisional ids).
    texts = synthetic(4, session="34", sur_name="Slovenia", document="A/HRC/43/15")
    rows = [
        ["Slovenia", "", "", r.text.split(" (")[0], state, "", "", "Accepted", 4.0, "Synth", 34.0]
        for r in texts.itertuples()
        for state in r.recommending_states.split("; ")
    ]
    _import(layouts.write_xls(tmp_path / "svn.xls", rows), bundled_copy)
    server.follow("an import of provisional recommendations", patched=None)
    first = "SVN-3-UNNUMBERED.1"
    assessment = progress.add_assessment(
        bundled_copy,
        {"rec_id": first, "status": "not_implemented", "assessor_role": "civil_society",
         "assessor_org": "SYNTHETIC CSO", "date": "2024-01-10", "rationale": "SYNTHETIC"},
        EDITOR,
    )  # fmt: skip
    server.follow("an assessment", patched=True)
    progress.add_evidence(
        bundled_copy,
        {"date": "2023-05", "rec_ids": [first, "KHM-2-118.1"], "role": "government",
         "actor": "SYNTHETIC", "action_type": "policy", "direction": "progress",
         "summary": "SYNTHETIC", "source_title": "SYNTHETIC",
         "source_url": "https://example.org/synthetic", "source_kind": "government"},
        EDITOR,
    )  # fmt: skip
    server.follow("an evidence item with links", patched=True)
    # The official numbered file: the provisional ids fall on their paragraphs.
    _import(uhri_file(tmp_path, texts, "numbered.xlsx"), bundled_copy, state="SVN")
    server.follow("a reconciliation", patched=None)
    assert queries.recommendation(server.con, first) is None
    detail = queries.recommendation(server.con, "SVN-3-110.1")
    assert detail["assessments"]["assessment_id"].tolist() == [assessment]
    # A later position supersedes the stored one.
    later = texts.copy()
    later.loc[later["rec_number"] == "110.1", "response"] = "noted"
    _import(uhri_file(tmp_path, later, "later.xlsx"), bundled_copy, state="SVN")
    server.follow("a position change", patched=None)
    assert queries.recommendation(server.con, "SVN-3-110.1")["recommendation"].iloc[0][
        "response"
    ] == ("noted")
    # A correction superseding the assessment, and a curator's tags.
    row = {"rec_id": "KHM-2-118.1", "status": "not_implemented", "assessor_role": "un",
           "assessor_org": "SYNTHETIC UN", "date": "2024-02-10",
           "rationale": "SYNTHETIC"}  # fmt: skip
    wrong = progress.add_assessment(bundled_copy, row, EDITOR)
    server.follow("an assessment of a bundled recommendation", patched=True)
    row |= {"date": "2024-02-11", "supersedes": wrong}
    corrected = progress.add_assessment(bundled_copy, row, EDITOR)
    server.follow("a correction", patched=True)
    current = "SELECT assessment_id FROM current_assessments WHERE rec_id = 'KHM-2-118.1'"
    shown = [r[0] for r in server.con.execute(current).fetchall()]
    assert corrected in shown and wrong not in shown
    # A status no recommendation had yet: the codes change, so every fact is made again.
    row = row | {"status": "partially_implemented", "supersedes": corrected}
    progress.add_assessment(bundled_copy, row, EDITOR)
    server.follow("a status new to the store", patched=False)
    assert queries.by_role_status(server.con, Filters())["status"].eq("partially_implemented").any()
    progress.curate_tags(bundled_copy, "KHM-2-118.1", "theme", ["women"], EDITOR, "SYNTHETIC")
    server.follow("a tag override", patched=True)
    assert queries.count(server.con, Filters(themes=("women",), sur="KHM")) > 0
    # A plan item, then its correction: the newer row of the item replaces the one held.
    item = {"sur": "KHM", "rec_ids": "KHM-2-118.1", "responsible": "SYNTHETIC Ministry",
            "action": "SYNTHETIC: an action", "timeline": "2025"}  # fmt: skip
    item_id = plan_write.add_item(bundled_copy, item, EDITOR)
    server.follow("a plan item and its new institution", patched=True)
    plan_write.add_item(bundled_copy, item | {"timeline": "2027", "item_id": item_id}, EDITOR)
    server.follow("a corrected plan item", patched=True)
    items = plan_queries.items(server.con, Filters(), date(2026, 12, 1))
    assert items[["item_id", "timeline", "state"]].values.tolist() == [[item_id, "2027", "later"]]


def test_nothing_of_the_store_changed_keeps_the_database(bundled_copy: Path):
    server = Pickup(bundled_copy)
    with store._cursor(store._ensure(bundled_copy)) as con:  # a write outside the tables
        con.execute(f"INSERT INTO lake.{store.META} VALUES ('note', 'x')")
    at = store.snapshot_id(bundled_copy)
    assert at > server.version
    assert incremental.connect_from(server.con, bundled_copy, server.version, at) is server.con


def test_a_new_base_is_read_whole(bundled_copy: Path):
    server = Pickup(bundled_copy)
    store.replace_base(bundled_copy, store.read_bundled())
    at = store.snapshot_id(bundled_copy)
    with pytest.raises(incremental.NotIncremental, match="base"):
        incremental.connect_from(server.con, bundled_copy, server.version, at)


def test_the_app_moves_on_from_the_database_it_holds_or_reads_whole(
    bundled_copy: Path, monkeypatch
):
    from upr_data import cached

    cached._database.clear()
    where = str(bundled_copy)
    first = cached._database(where, store.version(bundled_copy))
    calls: list[tuple[int, int]] = []
    real = incremental.connect_from

    def recorded(previous, store_dir, since, at):
        calls.append((since, at))
        return real(previous, store_dir, since, at)

    monkeypatch.setattr(incremental, "connect_from", recorded)
    row = {"rec_id": "KHM-2-118.1", "status": "not_implemented", "assessor_role": "un",
           "assessor_org": "SYNTHETIC UN", "date": "2024-02-10",
           "rationale": "SYNTHETIC"}  # fmt: skip
    since = store.snapshot_id(bundled_copy)
    progress.add_assessment(bundled_copy, row, EDITOR)
    at = store.snapshot_id(bundled_copy)
    second = cached._database(where, str(at))
    assert calls == [(since, at)]
    assessed = queries.summary(first, Filters())["assessed"]
    assert queries.summary(second, Filters())["assessed"] == assessed + 1

    def broken(previous, store_dir, since, at):
        raise RuntimeError("SYNTHETIC failure")

    monkeypatch.setattr(incremental, "connect_from", broken)
    progress.add_assessment(bundled_copy, row | {"rec_id": "KHM-2-118.2"}, EDITOR)
    third = cached._database(where, store.version(bundled_copy))
    assert queries.summary(third, Filters())["assessed"] == assessed + 2
    cached._database.clear()


def test_a_shared_lake_is_picked_up_the_same_way(shared_lake):
    """PostgreSQL catalog, S3 files: the snapshots' changes and added rows read as embedded."""
    store.replace_base(shared_lake, store.read_bundled())
    server = Pickup(shared_lake)
    row = {"rec_id": "KHM-2-118.1", "status": "not_implemented", "assessor_role": "un",
           "assessor_org": "SYNTHETIC UN", "date": "2024-02-10",
           "rationale": "SYNTHETIC"}  # fmt: skip
    progress.add_assessment(shared_lake, row, EDITOR)
    server.follow("an assessment in a shared lake", patched=True)
