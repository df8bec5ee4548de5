"""`python -m upr_data check` on the bundled store, and on stores broken on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from upr_data import cli, store
from upr_data.check import check_store
from upr_data.settings import DEFAULT_STORE


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(DEFAULT_STORE, target, ignore=shutil.ignore_patterns(".lock"))
    return target


def test_bundled_store_passes_and_says_what_is_not_loaded(capsys):
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert "KHM cycle 1: loaded, matches the official totals (91 recommendations" in out
    assert (
        "KHM cycle 2: loaded, matches the official totals "
        "(205 recommendations, 163 supported, 42 noted, 72 recommending States)" in out
    )
    assert "KHM cycle 3: not loaded (198 official)" in out
    assert "KHM cycle 4: not loaded (official total not known here)" in out


def _rewrite(folder: Path, table: str, change) -> None:
    data = store.read_table(folder, table)
    store.replace_base(folder, {table: change(data)})


def test_missing_recommendation_breaks_totals_and_references(copy: Path, capsys):
    _rewrite(copy, "recommendations", lambda t: t.filter(pc.field("rec_id") != "KHM-2-118.1"))
    report = check_store(copy)
    assert "KHM cycle 2: 204 recommendations loaded, official total 205" in report.problems
    assert any(p.startswith("State row of an unknown recommendation: 1 (KHM-2-118.1)")
               for p in report.problems)  # fmt: skip
    assert cli.main(["check", "--store", str(copy)]) == 1
    assert "check failed" in capsys.readouterr().err


def test_values_outside_a_vocabulary_are_named(copy: Path):
    def bad_response(t: pa.Table) -> pa.Table:
        values = t.column("response").to_pylist()
        values[0] = "accepted"
        return t.set_column(t.schema.get_field_index("response"), "response", [values])

    _rewrite(copy, "recommendations", bad_response)
    problems = check_store(copy).problems
    assert "recommendations.response has values outside its vocabulary: accepted" in problems
    assert any("differs from the last position in its history" in p for p in problems)


def test_unknown_tag_code_is_named(copy: Path):
    def bad_tag(t: pa.Table) -> pa.Table:
        codes = t.column("code").to_pylist()
        schemes = t.column("scheme").to_pylist()
        codes[schemes.index("theme")] = "astrology"
        return t.set_column(t.schema.get_field_index("code"), "code", [codes])

    _rewrite(copy, "tags", bad_tag)
    assert "tags: unknown theme code 'astrology'" in check_store(copy).problems


def test_a_state_credited_twice_in_one_paragraph_is_named(copy: Path):
    # the State filter counts a paragraph's chosen States by bits: one row per State
    _rewrite(copy, "recommendation_states", lambda t: pa.concat_tables([t, t.slice(0, 1)]))
    first = store.read_table(copy, "recommendation_states").slice(0, 1).to_pylist()[0]
    assert (
        f"State credited twice in one paragraph: 1 ({first['rec_id']} {first['state_iso3']})"
        in check_store(copy).problems
    )
