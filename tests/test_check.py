"""`python -m upr_data check` on the bundled store, and on stores broken on purpose."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from upr_data import check, cli, schema, store
from upr_data.check import check_store
from upr_data.settings import DEFAULT_STORE

TODAY = date(2026, 1, 1)  # dates after this count as in the future


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


# -- evidence provenance: what `check` refuses, and the links it lists for a curator ---------------


def _evidence_row(eid: str, **change) -> dict:
    """A complete evidence row as the build writes it (SYNTHETIC), with `change` applied."""
    row = dict(
        evidence_id=eid,
        date=date(2020, 5, 1),
        date_precision="day",
        role="government",
        actor="SYNTHETIC actor",
        action_type="policy",
        direction="progress",
        summary=f"SYNTHETIC {eid}",
        source_title="SYNTHETIC title",
        source_url=f"https://example.org/{eid}",
        source_kind="media",
        publisher="SYNTHETIC publisher",
        date_note=None,
        entered_by="source file evidence.csv",
        entered_at=None,
        supersedes=None,
    )
    row.update(change)
    return row


def _add_evidence(folder: Path, rows: list[dict], link: bool = True) -> None:
    links = [dict(evidence_id=r["evidence_id"], rec_id="KHM-1-10.1") for r in rows if link]
    store.append(
        folder,
        {
            "evidence": pa.Table.from_pylist(rows, schema.TABLES["evidence"]),
            "evidence_links": pa.Table.from_pylist(links, schema.TABLES["evidence_links"]),
        },
    )


def test_the_tiny_store_passes(tiny: Path):
    report = check_store(tiny, today=TODAY)
    assert report.ok, report.problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"source_url": None}, "evidence without a source URL (an http(s) link): 1 (X1)"),
        ({"source_url": "  "}, "evidence without a source URL (an http(s) link): 1 (X1)"),
        ({"source_url": "www.example.org/x"}, "evidence without a source URL (an http(s) link)"),
        ({"date": None}, "evidence without a date: 1 (X1)"),
        ({"date": date(2999, 6, 1)}, "evidence dated in the future: 1 (X1)"),
        ({"source_kind": None}, "evidence without a kind of source"),
        ({"source_kind": ""}, "evidence without a kind of source"),
        ({"source_kind": "blog"}, "evidence.source_kind has values outside its vocabulary: blog"),
    ],
)
def test_evidence_without_what_makes_it_sourced_is_refused(tiny: Path, change, expected):
    _add_evidence(tiny, [_evidence_row("X1", **change)])
    report = check_store(tiny, today=TODAY)
    assert not report.ok
    assert any(p.startswith(expected) for p in report.problems), report.problems
    assert cli.main(["check", "--store", str(tiny)]) == 1


def test_evidence_without_a_link_is_refused(tiny: Path):
    _add_evidence(tiny, [_evidence_row("X1")], link=False)
    assert "evidence linked to no recommendation: 1 (X1)" in check_store(tiny, TODAY).problems


def test_a_correction_that_completes_an_item_clears_it(tiny: Path):
    _add_evidence(tiny, [_evidence_row("X1", source_kind=None)])
    assert not check_store(tiny, TODAY).ok
    _add_evidence(tiny, [_evidence_row("X2", supersedes="X1")])
    assert check_store(tiny, TODAY).ok


def test_an_editors_row_without_a_kind_is_noted_until_the_form_asks_for_it(tiny: Path, monkeypatch):
    _add_evidence(tiny, [_evidence_row("EV-1", source_kind=None, entered_by="ed@example.org")])
    monkeypatch.setattr(check, "editors_give_a_kind", lambda: False)
    report = check_store(tiny, TODAY)
    assert report.ok
    assert any(n.startswith("1 evidence item(s) entered by editors have no kind of source (EV-1)")
               for n in report.notes)  # fmt: skip
    monkeypatch.setattr(check, "editors_give_a_kind", lambda: True)
    report = check_store(tiny, TODAY)
    assert any(p.startswith("evidence without a kind of source") and p.endswith("1 (EV-1)")
               for p in report.problems)  # fmt: skip


@pytest.mark.parametrize(
    ("url", "host"),
    [
        (
            "https://web.test.ohchr.un-icc.cloud/en/press-releases/2016/07/x",
            "web.test.ohchr.un-icc.cloud",
        ),
        ("https://staging.example.org/a", "staging.example.org"),
        ("http://mirror.example.net/a", "mirror.example.net"),
        ("https://www.scribd.com/document/1/x", "www.scribd.com"),
        ("https://dokumen.tips/documents/x.html", "dokumen.tips"),
        ("https://vdocuments.net/x.html", "vdocuments.net"),
        ("https://studylib.net/doc/1/x", "studylib.net"),
        ("https://abcdocz.com/doc/1/x", "abcdocz.com"),
        ("http://lawsdocbox.com/Immigration/1-x.html", "lawsdocbox.com"),
        ("https://www.right-docs.org/doc/a-hrc-36-61/", "www.right-docs.org"),
        ("https://www.ohchr.org/en/press-releases/2016/07/x", None),
        ("https://www.voacambodia.com/a/x/3418176.html", None),
        ("https://contest.example.org/a", None),  # a label must be exactly "test"
        ("https://notscribd.com/a", None),
        ("not a link", None),
    ],
)
def test_copy_hosts(url, host):
    assert check.copy_host(url) == host


def test_links_on_test_or_copy_sites_are_listed_for_a_curator_not_refused(tiny: Path):
    mirror = "https://web.test.ohchr.un-icc.cloud/en/press-releases/2016/07/x"
    _add_evidence(
        tiny,
        [
            _evidence_row("X1", source_url=mirror),
            _evidence_row("X2", source_url="https://www.scribd.com/document/1/x"),
            _evidence_row("X3", source_url="https://www.ohchr.org/en/x"),
        ],
    )
    report = check_store(tiny, TODAY)
    assert report.ok
    assert f"  X1: web.test.ohchr.un-icc.cloud ({mirror})" in report.notes
    assert "  X2: www.scribd.com (https://www.scribd.com/document/1/x)" in report.notes
    assert not any("X3" in n for n in report.notes)
    assert any(n.startswith("2 source link(s) on hosts that look like test, mirror")
               for n in report.notes)  # fmt: skip


def test_the_bundled_store_lists_its_copies_and_no_test_mirror(capsys):
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert "un-icc.cloud" not in out  # KHM-EV-017 now cites VOA Khmer's report
    assert "  KHM-EV-120: scribd.com (" in out
    assert "  KHM-AS-001: lawsdocbox.com (" in out
