"""The files users really hold (tests/layouts.py writes them): UPR Info's legacy .xls, its CSV
copies in every encoding and line end, .ods; rows without paragraph numbers; new States and
cycles; provisional recommendations reconciled onto their paragraphs; hostile files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests import layouts
from tests.conftest import fingerprint
from tests.test_ingest import synthetic, uhri_file
from upr_data import check, progress, queries, store
from upr_data.access import Writer
from upr_data.filters import Filters
from upr_data.ingest import commit, preview, read_file
from upr_data.ingest.headers import map_headers
from upr_data.ingest.uprinfo import COLUMNS
from upr_data.problems import InputError

EDITOR = Writer("editor@example.org", "editor")


def _import(path: Path, store_dir: Path, **options):
    parsed = read_file(path, store_dir, **options)
    plan = preview(store_dir, parsed)
    assert plan.ok, plan.lines()
    return plan, commit(store_dir, parsed)


def test_the_legacy_headers_map_each_pair_to_its_state():
    mapping = map_headers(layouts.LEGACY_HEADER, COLUMNS)
    assert mapping.index == {
        "sur": 0, "sur_group": 1, "sur_org": 2, "text": 3, "states": 4, "group": 5, "org": 6,
        "position": 7, "action": 8, "issues": 9, "session": 10,
    }  # fmt: skip
    assert not mapping.repeated and not mapping.unknown and not mapping.missing
    renamed = map_headers(layouts.RENAMED_HEADER, COLUMNS)
    assert renamed.index == mapping.index


@pytest.mark.parametrize("cycle, rows, paragraphs", [(1, 138, 91), (2, 205, 205)])
def test_the_upr_info_xls_lands_on_the_bundled_paragraphs(
    tmp_path: Path, bundled_copy: Path, cycle: int, rows: int, paragraphs: int
):
    path = layouts.write_xls(tmp_path / "upr-info-export.xls", layouts.official_rows(cycle))
    plan, counts = _import(path, bundled_copy, state="KHM")
    assert (plan.matched_rows, plan.new_rows, len(plan.ambiguous)) == (rows, 0, 0)
    assert counts["new"] == 0 and counts["recommendations_rows"] == 0
    assert len(plan.unchanged) == paragraphs
    assert f"cycle {cycle} after the import" in "\n".join(plan.lines())
    assert "matches the official totals" in "\n".join(plan.lines())
    con = queries.connect(bundled_copy)
    assert queries.count(con, Filters()) == 296
    # Nothing lost: UPR Info's action category and issues are kept as official tags, and its
    # action category is the one the views count.
    tags = store.read_table(bundled_copy, "tags").to_pandas()
    official = tags[(tags.provenance == "official") & tags.rec_id.str.startswith(f"KHM-{cycle}-")]
    assert set(official.scheme) == {"action_category", "uprinfo_issue"}
    assert official[official.scheme == "action_category"].rec_id.nunique() == paragraphs
    effective = con.execute(
        "SELECT DISTINCT code FROM effective_tags WHERE scheme = 'action_category' "
        "AND starts_with(rec_id, $prefix)",
        {"prefix": f"KHM-{cycle}-"},
    ).fetchall()
    assert effective == [("3",)]
    assert check.check_store(bundled_copy).ok
    before = fingerprint(bundled_copy)
    _, again = _import(path, bundled_copy, state="KHM")
    assert again["part"] is None and fingerprint(bundled_copy) == before


ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "mac_roman": "Mac Roman",
}
# Every encoding with every line end, except Windows-1252 with CR alone, which no spreadsheet
# writes: where Windows-1252 and Mac Roman read equally well, CR alone means a Mac.
COMBINATIONS = [
    (encoding, label, newline)
    for encoding, label in ENCODINGS.items()
    for newline in ("\n", "\r\n", "\r")
    if (encoding, newline) != ("cp1252", "\r")
]


@pytest.mark.parametrize("encoding, label, newline", COMBINATIONS)
def test_csv_copies_read_in_any_encoding_and_line_end(
    tmp_path: Path, empty_store: Path, encoding: str, label: str, newline: str
):
    rows = layouts.synthetic_rows("Slovenia", 34.0)
    path = layouts.write_csv(tmp_path / "export.csv", rows, encoding, newline)
    parsed = read_file(path, empty_store)
    assert parsed.ok, [str(p) for p in parsed.problems]
    assert f"export.csv: read as {label} text" in parsed.notes
    assert parsed.sur == "SVN" and parsed.cycles == [3]
    states = {s for r in parsed.recommendations for s in r.states}
    assert "Côte d'Ivoire" in states and "Bosnia & Herzegovina" in states


def test_ods_reads_like_xls(tmp_path: Path, empty_store: Path):
    rows = layouts.synthetic_rows("Slovenia", 34.0)
    xls = read_file(layouts.write_xls(tmp_path / "a.xls", rows), empty_store)
    ods = read_file(layouts.write_ods(tmp_path / "a.ods", rows), empty_store)
    assert xls.ok and ods.ok
    assert [(r.text, r.states, r.response) for r in xls.recommendations] == [
        (r.text, r.states, r.response) for r in ods.recommendations
    ]


def test_a_file_for_a_new_state_creates_it(tmp_path: Path, bundled_copy: Path):
    rows = layouts.synthetic_rows("Slovenia", 34.0)
    path = layouts.write_xls(tmp_path / "svn.xls", rows)
    plan, counts = _import(path, bundled_copy)
    lines = "\n".join(plan.lines())
    assert "new State under review: Slovenia (SVN)" in lines
    assert "new cycle(s) of SVN: 3" in lines
    assert "cycle 3 after the import: 6 paragraphs, 4 supported, 2 noted, 7 States: official " \
        "totals not known here" in lines  # fmt: skip
    assert (plan.matched_rows, plan.new_rows) == (0, 7)
    assert counts["cycles_rows"] == 1
    cycles = store.read_table(bundled_copy, "cycles").to_pandas()
    svn = cycles[cycles.sur == "SVN"].iloc[0]
    assert (svn.cycle, svn.wg_session) == (3, 34) and pd.isna(svn.official_recommendations)
    con = queries.connect(bundled_copy)
    assert queries.count(con, Filters(sur="SVN")) == 6
    assert queries.count(con, Filters(sur="SVN"), basis="states") == 7  # every State credited
    assert queries.count(con, Filters(sur="SVN", responses=("noted",))) == 2
    assert queries.count(con, Filters(sur="KHM")) == 296
    ids = queries.recommendations(con, Filters(sur="SVN"))["rec_id"].tolist()
    assert ids[0] == "SVN-3-UNNUMBERED.1"
    report = check.check_store(bundled_copy)
    assert report.ok, report.problems
    assert any("SVN cycle 3" in line and "official totals not known" in line
               for line in report.notes)  # fmt: skip


def test_a_uhri_workbook_of_another_state_imports(tmp_path: Path, bundled_copy: Path):
    frame = synthetic(4, session="34", sur_name="Slovenia", document="A/HRC/43/15")
    path = uhri_file(tmp_path, frame)
    plan, _ = _import(path, bundled_copy, state="SVN")
    assert "official totals not known here" in "\n".join(plan.lines())
    cycles = store.read_table(bundled_copy, "cycles").to_pandas()
    assert cycles[cycles.sur == "SVN"].iloc[0].wg_report == "A/HRC/43/15"
    con = queries.connect(bundled_copy)
    assert queries.recommendations(con, Filters(sur="SVN"))["rec_id"].tolist() == [
        "SVN-3-110.1", "SVN-3-110.2", "SVN-3-110.3", "SVN-3-110.4",
    ]  # fmt: skip


def test_a_provisional_recommendation_is_reconciled_with_what_was_recorded(
    tmp_path: Path, bundled_copy: Path
):
    # UPR Info rows (no numbers) first: provisional ids.
    texts = synthetic(4, session="34", sur_name="Slovenia", document="A/HRC/43/15")
    rows = []
    for r in texts.itertuples():
        bare = r.text.split(" (")[0]
        for state in r.recommending_states.split("; "):
            rows.append(["Slovenia", "", "", bare, state, "", "", "Accepted", 4.0, "Synth", 34.0])
    _import(layouts.write_xls(tmp_path / "svn.xls", rows), bundled_copy)
    con = queries.connect(bundled_copy)
    provisional = queries.recommendations(con, Filters(sur="SVN"))["rec_id"].tolist()
    assert provisional == [f"SVN-3-UNNUMBERED.{i}" for i in range(1, 5)]
    first = provisional[0]
    assessment = progress.add_assessment(
        bundled_copy,
        {"rec_id": first, "status": "not_implemented", "assessor_role": "civil_society",
         "assessor_org": "SYNTHETIC CSO", "date": "2024-01-10", "rationale": "SYNTHETIC"},
        EDITOR,
    )  # fmt: skip
    progress.add_evidence(
        bundled_copy,
        {"date": "2023-05", "rec_ids": [first], "role": "government", "actor": "SYNTHETIC",
         "action_type": "policy", "direction": "progress", "summary": "SYNTHETIC",
         "source_title": "SYNTHETIC", "source_url": "https://example.org/synthetic",
         "source_kind": "government"},
        EDITOR,
    )  # fmt: skip
    # Then the official numbered file: every provisional one falls on its paragraph.
    plan, _ = _import(uhri_file(tmp_path, texts), bundled_copy, state="SVN")
    assert [(c.old, c.new) for c in plan.reconciled] == [
        (f"SVN-3-UNNUMBERED.{i}", f"SVN-3-110.{i}") for i in range(1, 5)
    ]
    assert "provisional recommendations placed on their paragraphs: 4" in "\n".join(plan.lines())
    con = queries.connect(bundled_copy)
    assert queries.recommendations(con, Filters(sur="SVN"))["rec_id"].tolist() == [
        f"SVN-3-110.{i}" for i in range(1, 5)
    ]
    detail = queries.recommendation(con, "SVN-3-110.1")
    assert detail["assessments"]["assessment_id"].tolist() == [assessment]
    assert len(detail["evidence"]) == 1
    assert queries.recommendation(con, first) is None
    assert check.check_store(bundled_copy).ok


def test_ambiguous_rows_are_listed_and_not_imported(tmp_path: Path, bundled_copy: Path):
    frame = synthetic(2, session="34", sur_name="Slovenia", document="A/HRC/43/15")
    frame["recommending_states"] = "France"
    frame["text"] = "SYNTHETIC TEST TEXT: keep a fictitious register of test entries (France);"
    _import(uhri_file(tmp_path, frame), bundled_copy, state="SVN")
    rows = [["Slovenia", "", "", "SYNTHETIC TEST TEXT: keep a fictitious register of test entries",
             "France", "", "", "Accepted", "", "", 34.0]]  # fmt: skip
    parsed = read_file(layouts.write_xls(tmp_path / "svn.xls", rows), bundled_copy)
    plan = preview(bundled_copy, parsed)
    assert plan.ok and len(plan.ambiguous) == 1 and not plan.new
    assert str(plan.ambiguous[0]) == (
        "row 2: France, 'SYNTHETIC TEST TEXT: keep a fictitious register of test entr': "
        "fits SVN-3-110.1 (1.00), SVN-3-110.2 (1.00)"
    )
    assert "1 ambiguous" in "\n".join(plan.lines())


def _bad_response(tmp_path: Path) -> Path:
    rows = layouts.synthetic_rows("Slovenia", 34.0)
    rows[2][7] = "Maybe"
    return layouts.write_xls(tmp_path / "bad.xls", rows)


def _nul_bytes(tmp_path: Path) -> Path:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"To,Text\x00\x00\x01\x02" * 50)
    return path


def _far_cell(tmp_path: Path) -> Path:
    path = tmp_path / "far.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["SuR", "Recommendation", "RS", "Response"])
    book.active["XFD1048576"] = "x"
    book.save(path)
    return path


def _bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<x>" + " " * 50_000_000 + "</x>")
    return path


def _unknown_session(tmp_path: Path) -> Path:
    rows = layouts.synthetic_rows("Slovenia", 99.0)
    return layouts.write_xls(tmp_path / "late.xls", rows)


@pytest.mark.parametrize(
    "make, expected",
    [
        (_bad_response, "bad.xls, row 4, column 'Response': unknown response 'Maybe'"),
        (_nul_bytes, "binary.csv: cannot read the file: the file holds NUL bytes"),
        (
            _far_cell,
            "far.xlsx: cannot read the file: sheet1.xml declares or uses a cell at "
            "column 16384, row 1048576: beyond the limits",
        ),  # fmt: skip
        (_bomb, "bomb.xlsx: cannot read the file: part 'xl/worksheets/sheet1.xml' unpacks"),
        (_unknown_session, "late.xls, row 2, column 'Session': no cycle"),
    ],
)
def test_hostile_files_are_named_and_leave_the_store_as_it_was(
    tmp_path: Path, bundled_copy: Path, make, expected: str
):
    before = fingerprint(bundled_copy)
    parsed = read_file(make(tmp_path), bundled_copy, state="SVN")
    with pytest.raises(InputError) as error:
        commit(bundled_copy, parsed)
    assert any(str(p).startswith(expected) for p in error.value.problems), error.value.problems
    assert fingerprint(bundled_copy) == before


@pytest.mark.parametrize(
    "encoding, newline", [("mac_roman", "\r"), ("cp1252", "\r\n"), ("utf-8-sig", "\r\n")]
)
def test_the_cycle_2_export_saved_as_csv_lands_on_the_bundled_paragraphs(
    tmp_path: Path, bundled_copy: Path, encoding: str, newline: str
):
    # Typographic quotes and dashes are where Mac Roman and Windows-1252 differ.
    rows = layouts.official_rows(2)
    path = layouts.write_csv(tmp_path / "upr-info.csv", rows, encoding, newline)
    plan, counts = _import(path, bundled_copy)
    assert (plan.matched_rows, plan.new_rows, counts["new"]) == (205, 0, 0)
    assert queries.count(queries.connect(bundled_copy), Filters()) == 296


def _import_in_process(path: str, where: str, start) -> None:
    start.wait()
    commit(where, read_file(Path(path), where))


def test_simultaneous_imports_of_one_file_keep_one_copy(tmp_path: Path, bundled_copy: Path):
    """Four processes import the same file (under four names) at once: the comparison with the
    store runs inside the serialised write, so the rows land once and the others write nothing."""
    import multiprocessing
    import shutil

    rows = layouts.synthetic_rows("Slovenia", 34.0)
    first = layouts.write_xls(tmp_path / "svn-0.xls", rows)
    paths = [first] + [shutil.copy(first, tmp_path / f"svn-{i}.xls") for i in range(1, 4)]
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    procs = [
        context.Process(target=_import_in_process, args=(str(p), str(bundled_copy), start))
        for p in paths
    ]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(300)
        assert p.exitcode == 0
    con = queries.connect(bundled_copy)
    assert queries.count(con, Filters(sur="SVN")) == 6
    audit = store.read_table(bundled_copy, "audit").to_pandas()
    assert (audit["action"] == "import_recommendations").sum() == 1
    assert check.check_store(bundled_copy).ok
