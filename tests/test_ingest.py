"""Importers of recommendations (upr_data.ingest) on GENERATED files only.

Two kinds of fixture, both written here into tmp_path:
- our own cycle-2 data (data/sources) re-written in the UHRI export layout, for the round trip;
- SYNTHETIC recommendations, each text starting "SYNTHETIC TEST TEXT", for everything else.
No third-party file is copied, and no third- or fourth-cycle text is reconstructed.
"""

from __future__ import annotations

import http.server
import socket
import threading
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.conftest import fingerprint
from upr_data import build, check, store
from upr_data.access import NotAllowed, Writer
from upr_data.ingest import (
    FetchError,
    commit,
    detect_kind,
    fetch_uhri,
    preview,
    read_current,
    read_file,
    write_uhri_layout,
)
from upr_data.ingest.commands import run_import
from upr_data.problems import InputError
from upr_data.settings import DEFAULT_STORE, SOURCES_DIR

# -- fixtures -------------------------------------------------------------------------------------


def cycle2_frame() -> pd.DataFrame:
    """Our cycle-2 source rows, with the documented correction (118.09 -> 118.109) applied."""
    frame = pd.read_csv(
        SOURCES_DIR / "cambodia_cycle2_recommendations.csv", dtype=str, keep_default_na=False
    )
    fixes = build._corrections(SOURCES_DIR)
    frame["rec_number"] = [
        fixes.get((c, n), n) for c, n in zip(frame["cycle"], frame["rec_number"], strict=True)
    ]
    frame["session"] = "18th session"
    frame["document"] = "A/HRC/26/16"
    return frame


def synthetic(n: int = 4, cycle: int = 3, session: str = "32", **extra) -> pd.DataFrame:
    """SYNTHETIC recommendations (not real UPR text) in the template's columns."""
    states = ["France", "Brazil", "Iran (Islamic Republic of)", "Japan; Chile"]
    rows = [
        dict(
            cycle=str(cycle),
            rec_number=f"110.{i}",
            text=f"SYNTHETIC TEST TEXT {i}: establish a fictitious registry of test "
            f"records number {i} ({states[(i - 1) % len(states)].replace('; ', ') (')});",
            recommending_states=states[(i - 1) % len(states)],
            response="supported" if i % 4 else "noted",
            session=session,
            document="TEST/SYNTHETIC/1",
            themes=["Synthetic theme A", "Synthetic theme B"],
            groups=["Synthetic group"],
            sdgs=["16 - PEACE, JUSTICE AND STRONG INSTITUTIONS", "16.3 - Promote the rule of law"],
        )
        for i in range(1, n + 1)
    ]
    frame = pd.DataFrame(rows)
    for column, value in extra.items():
        frame[column] = value
    return frame


def uhri_file(tmp_path: Path, frame: pd.DataFrame, name: str = "uhri.xlsx") -> Path:
    return write_uhri_layout(frame, tmp_path / name)


def edit_workbook(path: Path, change) -> Path:
    book = openpyxl.load_workbook(path)
    change(book["Export"])
    book.save(path)
    return path


def problems_of(path: Path, store_dir: Path, **options) -> list[str]:
    parsed = read_file(path, store_dir, **options)
    return [str(p) for p in preview(store_dir, parsed).problems]


# -- detection ------------------------------------------------------------------------------------


def test_detect_kind(tmp_path: Path):
    assert detect_kind(uhri_file(tmp_path, synthetic())) == "uhri"
    assert detect_kind(SOURCES_DIR / "cambodia_cycle1_recommendations.csv") == "template"
    info = tmp_path / "info.csv"
    pd.DataFrame(
        columns=["Recommendation", "Recommending State", "State under Review", "Response"]
    ).to_csv(info, index=False)
    assert detect_kind(info) == "uprinfo"
    for headers in (["rec_id", "status", "assessor_role"], ["date", "direction", "summary"]):
        progress = tmp_path / "progress.csv"
        pd.DataFrame(columns=headers).to_csv(progress, index=False)
        assert detect_kind(progress) == "progress"
    other = tmp_path / "other.csv"
    pd.DataFrame(columns=["a", "b"]).to_csv(other, index=False)
    with pytest.raises(InputError, match="not a known layout.*headers: a, b"):
        detect_kind(other)
    with pytest.raises(InputError, match="unknown file type '.pdf'"):
        detect_kind(tmp_path / "x.pdf")


# -- the round trip: our cycle 2 in the UHRI layout -----------------------------------------------


def test_round_trip_of_cycle_2_through_the_uhri_layout(tmp_path: Path, empty_store: Path):
    path = uhri_file(tmp_path, cycle2_frame())
    parsed = read_file(path, empty_store)
    assert parsed.ok, parsed.problems
    assert (parsed.kind, parsed.sur, parsed.cycle) == ("uhri", "KHM", 2)
    plan = preview(empty_store, parsed)
    assert len(plan.new) == 205 and not plan.changed
    assert plan.totals == [
        "cycle 2 after the import: 205 paragraphs, 163 supported, 42 noted, 72 States: "
        "matches the official totals"
    ]
    counts = commit(empty_store, parsed)
    assert counts["new"] == 205 and counts["part"]

    def view(folder: Path) -> tuple[dict, dict]:
        recs = read_current(folder, "recommendations").to_pandas()
        recs = recs[recs["cycle"] == 2].set_index("rec_id")
        states = store.read_table(folder, "recommendation_states").to_pandas()
        states = states[states["rec_id"].isin(recs.index)]
        by_rec = states.groupby("rec_id")["state_iso3"].apply(lambda s: tuple(sorted(s)))
        names = states.groupby("rec_id")["name_as_printed"].apply(lambda s: tuple(sorted(s)))
        rows = recs[["paragraph", "text", "response", "document"]].to_dict(orient="index")
        return rows, {r: (by_rec[r], names[r]) for r in recs.index}

    assert view(empty_store) == view(DEFAULT_STORE)
    assert check.check_store(empty_store).ok


def test_the_bundled_cycle_2_already_holds_the_file(tmp_path: Path, bundled_copy: Path):
    before = fingerprint(bundled_copy)
    path = uhri_file(tmp_path, cycle2_frame())
    plan = preview(bundled_copy, read_file(path, bundled_copy))
    assert plan.ok and len(plan.unchanged) == 205 and not plan.writes
    assert commit(bundled_copy, read_file(path, bundled_copy))["part"] is None
    assert fingerprint(bundled_copy) == before


def test_a_position_at_adoption_does_not_undo_a_later_change(tmp_path: Path, bundled_copy: Path):
    """118.1 was listed as supported, then noted: a file giving 'Supported' changes nothing."""
    frame = cycle2_frame()
    frame.loc[frame["rec_number"] == "118.1", "response"] = "supported"
    parsed = read_file(uhri_file(tmp_path, frame), bundled_copy)
    plan = preview(bundled_copy, parsed)
    assert plan.ok and not plan.writes
    assert any("earlier" in n for n in plan.notes)


# -- synthetic imports: tags, re-import, changed positions ----------------------------------------


def test_synthetic_uhri_import_with_official_tags(tmp_path: Path, empty_store: Path):
    parsed = read_file(uhri_file(tmp_path, synthetic()), empty_store)
    assert parsed.ok and parsed.cycles == [3]
    rec = parsed.recommendations[3]
    assert rec.paragraph == "110.4" and rec.states == ("Japan", "Chile")
    assert rec.text.startswith("SYNTHETIC TEST TEXT 4") and rec.response == "noted"
    commit(empty_store, parsed)
    tags = store.read_table(empty_store, "tags").to_pandas()
    official = tags[tags["provenance"] == "official"]
    assert set(official["scheme"]) == {"uhri_theme", "uhri_group", "sdg"}
    assert set(official.loc[official["scheme"] == "sdg", "code"]) == {"16", "16.3"}
    assert (tags[tags["scheme"] == "action_category"].groupby("rec_id").size() == 1).all()
    states = store.read_table(empty_store, "recommendation_states").to_pandas()
    assert sorted(states.loc[states["rec_id"] == "KHM-3-110.4", "state_iso3"]) == ["CHL", "JPN"]
    assert check.check_store(empty_store).problems == [
        "KHM cycle 3: 4 recommendations loaded, official total 198",
        "KHM cycle 3: 3 supported loaded, official total 173",
        "KHM cycle 3: 1 noted loaded, official total 25",
        "KHM cycle 3: 5 recommending States loaded, official total 73",
    ]


def test_preview_compares_with_the_official_totals(tmp_path: Path, empty_store: Path):
    plan = preview(empty_store, read_file(uhri_file(tmp_path, synthetic()), empty_store))
    assert plan.totals == [
        "cycle 3 after the import: 4 paragraphs (official 198), 3 supported (official 173), "
        "1 noted (official 25), 5 States (official 73): differs from the official totals "
        "(paragraphs, supported, noted, States)"
    ]
    four = read_file(uhri_file(tmp_path, synthetic(session="46")), empty_store)
    assert preview(empty_store, four).totals[0].endswith("official totals not known here")


def test_reimporting_the_same_file_writes_nothing(tmp_path: Path, empty_store: Path):
    path = uhri_file(tmp_path, synthetic())
    commit(empty_store, read_file(path, empty_store))
    before = fingerprint(empty_store)
    counts = commit(empty_store, read_file(path, empty_store))
    assert counts["part"] is None and counts["unchanged"] == 4 and counts["new"] == 0
    assert fingerprint(empty_store) == before


def test_a_changed_position_is_history_and_becomes_current(tmp_path: Path, empty_store: Path):
    commit(empty_store, read_file(uhri_file(tmp_path, synthetic(), "a.xlsx"), empty_store))
    later = synthetic()
    later.loc[later["rec_number"] == "110.1", "response"] = "noted"
    later.loc[later["rec_number"] == "110.2", "response"] = "partially_supported"
    parsed = read_file(uhri_file(tmp_path, later, "b.xlsx"), empty_store)
    plan = preview(empty_store, parsed)
    assert [(c.rec_id, c.old, c.new) for c in plan.changed] == [
        ("KHM-3-110.1", "supported", "noted"),
        ("KHM-3-110.2", "supported", "partially_supported"),
    ]
    assert "  KHM-3-110.1: supported -> noted" in plan.lines()
    counts = commit(empty_store, parsed)
    assert (counts["changed"], counts["new"], counts["tags_rows"]) == (2, 0, 0)
    history = store.read_table(empty_store, "response_history").to_pandas()
    rows = history[history["rec_id"] == "KHM-3-110.1"].sort_values("seq")
    assert rows[["seq", "response", "stage"]].values.tolist() == [
        [1, "supported", "adoption"],
        [2, "noted", "later"],
    ]
    current = read_current(empty_store, "recommendations").to_pandas().set_index("rec_id")
    assert current.loc["KHM-3-110.1", "response"] == "noted"
    assert current.loc["KHM-3-110.2", "response"] == "partially_supported"
    assert len(current) == 4
    # The superseded rows stay in the files; only the reader's rule makes the newer one current.
    assert store.read_table(empty_store, "recommendations").num_rows == 6
    audit = store.read_table(empty_store, "audit").to_pandas()
    assert list(audit["file_name"]) == ["a.xlsx", "b.xlsx"]
    assert audit["file_sha256"].str.len().eq(64).all()


def test_a_slightly_different_text_is_a_note_a_different_one_a_problem(
    tmp_path: Path, empty_store: Path
):
    commit(empty_store, read_file(uhri_file(tmp_path, synthetic(), "a.xlsx"), empty_store))
    slight = synthetic()
    slight.loc[0, "text"] = slight.loc[0, "text"].replace("establish", "establish  an")
    plan = preview(empty_store, read_file(uhri_file(tmp_path, slight, "b.xlsx"), empty_store))
    assert plan.ok and not plan.writes and any("differ slightly" in n for n in plan.notes)
    other = synthetic()
    other.loc[0, "text"] = "SYNTHETIC TEST TEXT 99: something else entirely (France);"
    problems = problems_of(uhri_file(tmp_path, other, "c.xlsx"), empty_store)
    assert len(problems) == 1
    assert "c.xlsx, row 2, column 'Text': paragraph 110.1 (cycle 3) has another text" in problems[0]


# -- hostile files: clear problems, the store byte-for-byte unchanged -----------------------------


def _wrong_sheet(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    book.active.append(["Country", "Total"])
    book.create_sheet("Notes").append(["GENERATED test workbook"])
    path = tmp_path / "wrong.xlsx"
    book.save(path)
    return path


def _missing_position(tmp_path: Path) -> Path:
    return edit_workbook(uhri_file(tmp_path, synthetic()), lambda s: s.delete_cols(8))


def _mixed(tmp_path: Path) -> Path:
    frame = synthetic()
    frame.loc[2, "sur_name"] = "Thailand"
    return uhri_file(tmp_path, frame)


def _duplicate(tmp_path: Path) -> Path:
    frame = synthetic()
    frame.loc[3, "rec_number"] = "110.2"
    return uhri_file(tmp_path, frame)


def _unknown_state(tmp_path: Path) -> Path:
    frame = synthetic()
    frame.loc[1, "recommending_states"] = "Atlantis"
    return uhri_file(tmp_path, frame)


def _unknown_position(tmp_path: Path) -> Path:
    frame = synthetic()
    frame.loc[0, "response"] = "Maybe"
    return uhri_file(tmp_path, frame)


def _no_paragraph(tmp_path: Path) -> Path:
    path = uhri_file(tmp_path, synthetic())
    return edit_workbook(path, lambda s: s.cell(3, 1, "SYNTHETIC TEST TEXT without a number"))


def _empty_text(tmp_path: Path) -> Path:
    def clear(sheet):
        sheet.cell(4, 1).value = None

    return edit_workbook(uhri_file(tmp_path, synthetic()), clear)


def _unknown_session(tmp_path: Path) -> Path:
    frame = synthetic()
    frame.loc[1, "session"] = "99"
    frame.loc[1, "document"] = ""
    return uhri_file(tmp_path, frame)


def _no_regional_group(tmp_path: Path) -> Path:
    frame = synthetic()
    frame.loc[0, "recommending_states"] = "Greenland"
    return uhri_file(tmp_path, frame)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            _wrong_sheet,
            "wrong.xlsx: no sheet has the UHRI export columns (Text, Countries Concerned, "
            "Reccomending Body, UPR Reccomending States, UPR Position); found: sheet 'Summary' "
            "(headers: Country, Total); sheet 'Notes' (headers: GENERATED test workbook)",
        ),
        (_missing_position, "uhri.xlsx, row 1, column 'UPR Position': missing column"),
        (
            _mixed,
            "uhri.xlsx, column 'Countries Concerned': the file holds UPR recommendations to 2 "
            "States under review; choose one with --state: Cambodia (KHM): 3 rows, "
            "Thailand (THA): 1 rows",
        ),
        (
            _duplicate,
            "uhri.xlsx, row 5, column 'Text': duplicate paragraph number: paragraph 110.2 "
            "(cycle 3) is already on row 3 with a different text",
        ),
        (
            _unknown_state,
            "uhri.xlsx, row 3, column 'UPR Reccomending States': unknown State name 'Atlantis'",
        ),
        (
            _unknown_position,
            "uhri.xlsx, row 2, column 'UPR Position': unknown position 'Maybe'",
        ),
        (
            _no_paragraph,
            "uhri.xlsx, row 3, column 'Text': the text does not start with a paragraph number",
        ),
        (_empty_text, "uhri.xlsx, row 4, column 'Text': empty text"),
        (
            _unknown_session,
            "uhri.xlsx, row 3, column 'UPR Session': session 99 matches no cycle of KHM in the "
            "cycles table (its working-group sessions: 6, 18, 32, 46)",
        ),
        (
            _no_regional_group,
            "uhri.xlsx, row 2, column 'UPR Reccomending States': 'Greenland' (GRL) is not in "
            "the store's states table",
        ),
    ],
)
def test_hostile_files_are_named_and_change_nothing(tmp_path, bundled_copy, make, expected):
    before = fingerprint(bundled_copy)
    path = make(tmp_path)
    parsed = read_file(path, bundled_copy, kind="uhri")  # as fetch-uhri reads its download
    with pytest.raises(InputError) as error:
        commit(bundled_copy, parsed)
    assert expected in str(error.value)
    assert fingerprint(bundled_copy) == before


def test_an_undetectable_workbook_names_its_sheets(tmp_path: Path, bundled_copy: Path):
    before = fingerprint(bundled_copy)
    with pytest.raises(InputError) as error:
        commit(bundled_copy, read_file(_wrong_sheet(tmp_path), bundled_copy))
    assert str(error.value) == (
        "wrong.xlsx: not a known layout (UHRI export, UPR Info export, our template, progress "
        "file, implementation plan); sheet 'Summary': Country, Total; sheet 'Notes': "
        "GENERATED test workbook"
    )
    assert fingerprint(bundled_copy) == before


def test_state_and_cycle_filters(tmp_path: Path, empty_store: Path):
    frame = pd.concat(
        [synthetic(), synthetic(2, session="46").assign(sur_name="Thailand")], ignore_index=True
    )
    path = uhri_file(tmp_path, frame)
    parsed = read_file(path, empty_store, state="KHM")
    assert parsed.ok and len(parsed.recommendations) == 4
    # A State the store does not know: its cycle comes from the UPR calendar (46 -> cycle 4).
    thailand = read_file(path, empty_store, state="THA")
    assert thailand.ok and thailand.cycles == [4] and len(thailand.recommendations) == 2
    problems = [str(p) for p in read_file(path, empty_store, state="KHM", cycle=4).problems]
    assert problems == [
        "uhri.xlsx, column 'Countries Concerned': no UPR recommendation to KHM in cycle 4; "
        "States under review found: Cambodia (KHM), Thailand (THA)"
    ]


def test_headers_are_matched_tolerantly(tmp_path: Path, empty_store: Path):
    def rename(sheet):
        sheet.cell(1, 3, "  recommending BODY ")
        sheet.cell(1, 7, "UPR_Recommending_States")
        sheet.cell(1, 13, "Something New")

    path = edit_workbook(uhri_file(tmp_path, synthetic()), rename)
    parsed = read_file(path, empty_store)
    assert parsed.ok and len(parsed.recommendations) == 4
    assert any("columns not used by this importer: Something New" in n for n in parsed.notes)


def test_other_bodies_are_skipped(tmp_path: Path, empty_store: Path):
    frame = pd.concat(
        [synthetic(), synthetic(1).assign(body="CEDAW", rec_number="5.1")], ignore_index=True
    )
    parsed = read_file(uhri_file(tmp_path, frame), empty_store)
    assert parsed.ok and len(parsed.recommendations) == 4
    assert any("1 rows of other bodies" in n for n in parsed.notes)


def test_clustered_rows_merge_their_states(tmp_path: Path, empty_store: Path):
    frame = synthetic(2)
    twin = frame.iloc[[0]].assign(recommending_states="Germany")
    parsed = read_file(uhri_file(tmp_path, pd.concat([frame, twin])), empty_store)
    assert parsed.ok
    assert parsed.recommendations[0].states == ("France", "Germany")
    assert any("one paragraph, crediting the States of every row" in n for n in parsed.notes)


def test_a_viewer_cannot_import(tmp_path: Path, empty_store: Path):
    parsed = read_file(uhri_file(tmp_path, synthetic()), empty_store)
    with pytest.raises(NotAllowed):
        commit(empty_store, parsed, Writer("someone@example.org", "viewer"))


# -- UPR Info CSV ---------------------------------------------------------------------------------


def uprinfo_csv(tmp_path: Path, with_paragraph: bool, name: str = "uprinfo.csv") -> Path:
    """SYNTHETIC UPR Info-style rows: one per (recommendation, recommending State)."""
    rows = []
    for i, states in enumerate([["France"], ["Brazil", "Chile"], ["Japan"]], start=1):
        for state in states:
            row = {
                "Recommendation": f"SYNTHETIC TEST TEXT {i}: adopt a fictitious test policy {i}",
                "Recommending State": state,
                "State under Review": "Cambodia",
                "Response": "Accepted" if i != 3 else "Noted",
                "Action category": f"{i + 2}",
                "Issues": "Synthetic issue one, Synthetic issue two",
                "Session": "32",
                "Cycle": "3",
            }
            if with_paragraph:
                row = {"Paragraph": f"110.{i}", **row}
            rows.append(row)
    path = tmp_path / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_uprinfo_rows_group_into_paragraphs(tmp_path: Path, empty_store: Path):
    path = uprinfo_csv(tmp_path, with_paragraph=True)
    parsed = read_file(path, empty_store)
    assert parsed.ok and parsed.kind == "uprinfo"
    assert [(r.paragraph, r.states, r.response) for r in parsed.recommendations] == [
        ("110.1", ("France",), "supported"),
        ("110.2", ("Brazil", "Chile"), "supported"),
        ("110.3", ("Japan",), "noted"),
    ]
    commit(empty_store, parsed)
    tags = store.read_table(empty_store, "tags").to_pandas()
    actions = tags[tags["scheme"] == "action_category"]
    assert set(actions["provenance"]) == {"official"}
    assert actions.set_index("rec_id")["code"].to_dict() == {
        "KHM-3-110.1": "3",
        "KHM-3-110.2": "4",
        "KHM-3-110.3": "5",
    }
    issues = tags[tags["scheme"] == "uprinfo_issue"]
    assert set(issues["code"]) == {"synthetic_issue_one", "synthetic_issue_two"}
    assert not [p for p in check.check_store(empty_store).problems if "cycle 3" not in p]


def test_uprinfo_without_paragraph_numbers_is_numbered_stably(tmp_path: Path, empty_store: Path):
    path = uprinfo_csv(tmp_path, with_paragraph=False)
    parsed = read_file(path, empty_store)
    assert [r.paragraph for r in parsed.recommendations] == ["0.1", "0.2", "0.3"]
    assert any("no paragraph numbers" in n for n in parsed.notes)
    commit(empty_store, parsed)
    before = fingerprint(empty_store)
    again = read_file(path, empty_store)
    assert commit(empty_store, again)["part"] is None
    assert fingerprint(empty_store) == before


def test_uprinfo_problems(tmp_path: Path, empty_store: Path):
    path = uprinfo_csv(tmp_path, with_paragraph=True)
    frame = pd.read_csv(path, dtype=str)
    frame.loc[0, "Response"] = "Perhaps"
    frame.loc[2, "Recommendation"] = "SYNTHETIC TEST TEXT: another text under 110.2"
    frame.loc[3, "Action category"] = "9"
    frame.to_csv(path, index=False)
    assert problems_of(path, empty_store) == [
        "uprinfo.csv, row 2, column 'Response': unknown response 'Perhaps' (expected "
        "Supported/Accepted, Noted/Rejected, Partially accepted or blank)",
        "uprinfo.csv, row 5, column 'Action category': unknown action category '9' (1-5)",
        "uprinfo.csv, row 4, column 'Recommendation': duplicate paragraph number: paragraph "
        "110.2 (cycle 3) is already on row 3 with a different text",
    ]


# -- our template ---------------------------------------------------------------------------------


def test_template_import_keeps_history(empty_store: Path):
    parsed = read_file(SOURCES_DIR / "cambodia_cycle1_recommendations.csv", empty_store)
    assert parsed.ok and parsed.kind == "template" and len(parsed.recommendations) == 91
    assert commit(empty_store, parsed)["new"] == 91
    assert read_current(empty_store, "recommendations").num_rows == 91


def test_template_round_trip_of_cycle_2_with_its_history(tmp_path: Path, empty_store: Path):
    path = tmp_path / "cycle2-template.csv"
    cycle2_frame()[list(build.RecommendationRow.model_fields)].to_csv(path, index=False)
    parsed = read_file(path, empty_store, state="Cambodia")
    assert parsed.ok and parsed.sur == "KHM"
    assert commit(empty_store, parsed)["response_history_rows"] == 213
    history = store.read_table(empty_store, "response_history").to_pandas()
    bundled = store.read_table(DEFAULT_STORE, "response_history").to_pandas()
    bundled = bundled[bundled["rec_id"].str.startswith("KHM-2-")]
    columns = ["rec_id", "seq", "response", "stage", "note"]
    assert history.sort_values(["rec_id", "seq"])[columns].values.tolist() == (
        bundled.sort_values(["rec_id", "seq"])[columns].values.tolist()
    )
    assert check.check_store(empty_store).ok


def test_a_uhri_layout_saved_as_csv_reads_the_same(tmp_path: Path, empty_store: Path):
    xlsx = uhri_file(tmp_path, synthetic())
    frame = pd.read_excel(xlsx, sheet_name="Export", dtype=str, keep_default_na=False)
    frame.to_csv(tmp_path / "uhri.csv", index=False)
    from_csv = read_file(tmp_path / "uhri.csv", empty_store)
    assert from_csv.kind == "uhri" and from_csv.ok

    def essence(parsed):
        return [(r.paragraph, r.text, r.states, r.response, r.tags) for r in parsed.recommendations]

    assert essence(from_csv) == essence(read_file(xlsx, empty_store))


def test_template_with_the_uncorrected_typo_is_refused(tmp_path: Path, bundled_copy: Path):
    """The raw cycle-2 file has 118.09 (corrected by the build): the template importer says so."""
    before = fingerprint(bundled_copy)
    parsed = read_file(SOURCES_DIR / "cambodia_cycle2_recommendations.csv", bundled_copy)
    with pytest.raises(InputError, match=r"column 'rec_number': '118.09' is not a paragraph"):
        commit(bundled_copy, parsed)
    assert fingerprint(bundled_copy) == before


def test_progress_files_are_not_recommendations(tmp_path: Path, empty_store: Path):
    path = tmp_path / "assessments.csv"
    pd.DataFrame(columns=["rec_id", "status", "assessor_role"]).to_csv(path, index=False)
    assert "progress importer" in str(read_file(path, empty_store).problems[0])


def test_run_import_prints_a_preview_and_applies(tmp_path: Path, empty_store: Path):
    path = uhri_file(tmp_path, synthetic())
    out, err = [], []
    assert run_import(path, empty_store, out=out.append, err=err.append) == 0
    assert "new recommendations: 4" in out and out[-1].startswith("preview only")
    assert not store.read_table(empty_store, "recommendations").num_rows
    assert run_import(path, empty_store, apply=True, out=out.append, err=err.append) == 0
    assert out[-1].startswith(f"written to {empty_store}")
    bad = _duplicate(tmp_path)
    assert run_import(bad, empty_store, apply=True, out=out.append, err=err.append) == 1
    assert err[-1] == "import stopped: 1 problem(s); the store was not changed."


# -- fetch ----------------------------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path):
    """A local HTTP server on 127.0.0.1 serving tmp_path/www."""
    root = tmp_path / "www"
    root.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_uhri_from_a_local_server(tmp_path: Path, server, empty_store: Path):
    root, base = server
    uhri_file(root, synthetic(), "export-full-en.xlsx")
    seen = []
    dest = fetch_uhri(
        f"{base}/export-full-en.xlsx",
        tmp_path / "downloads" / "uhri.xlsx",
        timeout=5,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert dest.read_bytes() == (root / "export-full-en.xlsx").read_bytes()
    size = dest.stat().st_size
    assert seen[0] == (0, size) and seen[-1] == (size, size)
    assert not list(dest.parent.glob(".*.part"))
    assert read_file(dest, empty_store, state="KHM").ok


def test_fetch_uhri_errors(tmp_path: Path, server):
    root, base = server
    (root / "page.html").write_text("<html>moved</html>")
    dest = tmp_path / "uhri.xlsx"
    with pytest.raises(FetchError, match="did not return an .xlsx workbook"):
        fetch_uhri(f"{base}/page.html", dest, timeout=5)
    with pytest.raises(FetchError, match="the server answered 404"):
        fetch_uhri(f"{base}/missing.xlsx", dest, timeout=5)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match=r"cannot reach 127\.0\.0\.1 .*offline"):
        fetch_uhri(f"http://127.0.0.1:{port}/export-full-en.xlsx", dest, timeout=5)
    with pytest.raises(FetchError, match="not an http"):
        fetch_uhri("file:///etc/passwd", dest)
    assert not dest.exists() and not list(tmp_path.glob(".*.part"))


# -- wired into the app and the command line --------------------------------------------------


def test_views_see_a_changed_position_and_check_stays_green(tmp_path: Path, empty_store: Path):
    from upr_data import queries
    from upr_data.check import check_store
    from upr_data.filters import Filters

    commit(empty_store, read_file(uhri_file(tmp_path, synthetic(), "a.xlsx"), empty_store))
    noted_before = queries.count(queries.connect(empty_store), Filters(responses=("noted",)))
    later = synthetic()
    later.loc[later["rec_number"] == "110.1", "response"] = "noted"
    commit(empty_store, read_file(uhri_file(tmp_path, later, "b.xlsx"), empty_store))
    con = queries.connect(empty_store)
    detail = queries.recommendation(con, "KHM-3-110.1")
    assert detail["recommendation"].iloc[0]["response"] == "noted"
    assert list(detail["history"]["response"]) == ["supported", "noted"]
    assert queries.count(con, Filters(cycles=(3,))) == 4
    assert queries.count(con, Filters(responses=("noted",))) == noted_before + 1
    assert check_store(empty_store).problems == [] or all(
        "official total" in p for p in check_store(empty_store).problems
    )


def test_the_import_command_previews_then_writes_with_yes(tmp_path: Path, empty_store: Path):
    import subprocess
    import sys

    from upr_data.settings import REPO_ROOT

    path = uhri_file(tmp_path, synthetic())
    command = [sys.executable, "-m", "upr_data", "import", str(path), "--store", str(empty_store)]
    before = store.version(empty_store)
    preview_only = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT,
                                  stdin=subprocess.DEVNULL)  # fmt: skip
    assert preview_only.returncode == 0, preview_only.stderr
    assert "run again with --yes" in preview_only.stdout
    assert store.version(empty_store) == before
    written = subprocess.run([*command, "--yes"], capture_output=True, text=True, cwd=REPO_ROOT,
                             stdin=subprocess.DEVNULL)  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert "written to" in written.stdout
    assert store.version(empty_store) != before
