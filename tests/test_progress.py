"""Recording progress: validation of every kind of bad input, atomic appends under concurrency and
a killed writer, and the permission check on every write path."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from openpyxl import Workbook

from upr_data import check, cli, progress, progress_import, queries, schema, store
from upr_data.access import Access, NotAllowed, Writer
from upr_data.check import check_store
from upr_data.filters import Filters
from upr_data.problems import InputError
from upr_data.settings import REPO_ROOT

EDITOR = Writer("editor@example.org", "editor")
HEADER = (
    "rec_id,status,assessor_role,assessor_org,date,rationale,evidence_url,source,"
    "source_location,supersedes"
)
GOOD = "KHM-1-10.1,not_implemented,civil_society,SYNTHETIC org,2024-01-02,SYNTHETIC why,,,,"
EV_HEADER = (
    "date,rec_ids,role,actor,action_type,direction,summary,source_title,source_url,"
    "source_kind,publisher,date_note,link_reason,supersedes"
)
EV_GOOD = (
    "2023-05,KHM-1-10.1;KHM-2-20.1,government,SYNTHETIC actor,policy,progress,"
    "SYNTHETIC summary,SYNTHETIC title,https://example.org/x,civil_society,,,,"
)


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_an_editor_records_an_assessment_and_every_view_sees_it(tiny: Path):
    before = store.version(tiny)
    new_id = progress.add_assessment(
        tiny,
        {
            "rec_id": "khm-1-10.3",
            "status": "partially_implemented",
            "assessor_role": "un",
            "assessor_org": "SYNTHETIC UN office",
            "date": "2024-02-01",
            "rationale": "SYNTHETIC",
        },
        EDITOR,
    )
    assert store.version(tiny) != before
    db = queries.connect(tiny)
    assert queries.count(db, Filters(statuses=("partially_implemented",), roles=("un",))) == 1
    audit = store.read_table(tiny, "audit").to_pylist()
    assert audit[-1]["who"] == "editor@example.org" and audit[-1]["action"] == "add_assessment"
    assert new_id.startswith("A-")
    assert check_store(tiny).ok


def test_a_correction_supersedes_and_keeps_history(tiny: Path):
    progress.add_assessment(
        tiny,
        {
            "rec_id": "KHM-1-10.1",
            "status": "not_implemented",
            "assessor_role": "government",
            "assessor_org": "government org",
            "date": "2021-01-01",
            "rationale": "correction",
            "supersedes": "A1",
        },
        EDITOR,
    )
    db = queries.connect(tiny)
    detail = queries.recommendation(db, "KHM-1-10.1")["assessments"]
    assert bool(detail.set_index("assessment_id").loc["A1", "superseded"])
    assert len(detail) == 4  # nothing deleted
    assert queries.recommendations(db, Filters(text="ratify")).iloc[0]["status_government"] == (
        "not_implemented"
    )


def test_evidence_import_links_every_recommendation(tiny: Path):
    kind, ids = progress_import.import_progress(tiny, "ev.csv", csv(EV_HEADER, EV_GOOD), EDITOR)
    assert kind == "evidence" and len(ids) == 1
    db = queries.connect(tiny)
    timeline = queries.evidence_timeline(db, Filters()).set_index("evidence_id")
    assert list(timeline.loc[ids[0], "rec_ids"]) == ["KHM-1-10.1", "KHM-2-20.1"]
    audit = store.read_table(tiny, "audit").to_pylist()[-1]
    assert audit["file_sha256"] == hashlib.sha256(csv(EV_HEADER, EV_GOOD)).hexdigest()


def test_the_kind_of_source_publisher_and_reason_reach_the_recommendation(tiny: Path):
    new_id = progress.add_evidence(
        tiny,
        {
            "date": "2024-03",
            "rec_ids": "KHM-1-10.1;KHM-1-10.2",
            "role": "civil_society",
            "actor": "SYNTHETIC coalition",
            "action_type": "monitoring_report",
            "direction": "no_change",
            "summary": "SYNTHETIC report",
            "source_title": "SYNTHETIC title",
            "source_url": "https://example.org/report",
            "source_kind": "Civil society",  # as a spreadsheet user may type it
            "publisher": "SYNTHETIC Publisher (reproduced from SYNTHETIC original)",
            "link_reason": "SYNTHETIC: it reports on the law",
        },
        EDITOR,
    )
    db = queries.connect(tiny)
    for rec_id in ("KHM-1-10.1", "KHM-1-10.2"):
        evidence = queries.recommendation(db, rec_id)["evidence"].set_index("evidence_id")
        item = evidence.loc[new_id]
        assert item["source_kind"] == "civil_society"
        assert item["publisher"] == "SYNTHETIC Publisher (reproduced from SYNTHETIC original)"
        assert item["reason"] == "SYNTHETIC: it reports on the law"
    assert check_store(tiny).ok


def test_an_assessment_keeps_where_in_the_source_it_is_stated(tiny: Path):
    progress.add_assessment(
        tiny,
        {
            "rec_id": "KHM-1-10.3",
            "status": "not_implemented",
            "assessor_role": "civil_society",
            "assessor_org": "SYNTHETIC coalition",
            "date": "2024-02-01",
            "rationale": "SYNTHETIC",
            "source": "SYNTHETIC submission",
            "source_location": "section 2, paragraph 1",
        },
        EDITOR,
    )
    db = queries.connect(tiny)
    assessments = queries.recommendation(db, "KHM-1-10.3")["assessments"]
    stated = assessments[assessments["assessor_org"] == "SYNTHETIC coalition"].iloc[0]
    assert (stated["source"], stated["source_location"]) == (
        "SYNTHETIC submission",
        "section 2, paragraph 1",
    )


def test_check_holds_an_editors_evidence_to_a_kind_of_source(tiny: Path):
    """The form asks for the kind of source, so `python -m upr_data check` refuses current
    evidence an editor entered without one (written before the form asked), until corrected."""
    assert check.editors_give_a_kind()
    row = {name: None for name in schema.TABLES["evidence"].names}
    row.update(evidence_id="EV-OLD", date=date(2023, 1, 1), date_precision="year",
               role="government", actor="SYNTHETIC", action_type="policy", direction="progress",
               summary="SYNTHETIC", source_title="SYNTHETIC", source_url="https://example.org/o",
               entered_by="editor@example.org")  # fmt: skip
    store.append(
        tiny,
        {
            "evidence": pa.Table.from_pylist([row], schema.TABLES["evidence"]),
            "evidence_links": pa.Table.from_pylist(
                [{"evidence_id": "EV-OLD", "rec_id": "KHM-1-10.1"}],
                schema.TABLES["evidence_links"],
            ),
        },
    )
    report = check_store(tiny)
    assert not report.ok
    assert any(p.startswith("evidence without a kind of source") and p.endswith("1 (EV-OLD)")
               for p in report.problems), report.problems  # fmt: skip
    assert cli.main(["check", "--store", str(tiny)]) == 1
    # the correction an editor enters (the form now asks for the kind) clears it
    progress.add_evidence(
        tiny,
        {
            "date": "2023", "rec_ids": "KHM-1-10.1", "role": "government", "actor": "SYNTHETIC",
            "action_type": "policy", "direction": "progress", "summary": "SYNTHETIC corrected",
            "source_title": "SYNTHETIC", "source_url": "https://example.org/o",
            "source_kind": "government", "supersedes": "EV-OLD",
        },
        EDITOR,
    )  # fmt: skip
    assert check_store(tiny).ok


def test_the_templates_follow_the_forms_fields_and_document_each_column():
    from openpyxl import load_workbook

    for kind, header in (("assessments", HEADER), ("evidence", EV_HEADER)):
        assert progress_import.template_csv(kind).decode().strip() == header
        book = load_workbook(io.BytesIO(progress_import.template_xlsx(kind)))
        assert [c.value for c in book[kind][1]] == header.split(",")
        documented = [r[0].value for r in book["data dictionary"].iter_rows(min_row=2)]
        assert documented == header.split(",")
    assert "source_location" in HEADER and "source_kind,publisher" in EV_HEADER


def xlsx(rows: list[list], formula_cell: str | None = None) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if formula_cell:
        book.active[formula_cell] = "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FUTURE = (date.today() + timedelta(days=3)).isoformat()
BAD = [
    (
        "wrong column",
        csv(HEADER.replace("rationale", "reason"), GOOD),
        ["row 1, column 'rationale': missing column", "row 1, column 'reason': unknown column"],
    ),
    (
        "missing column",
        csv(HEADER.replace(",supersedes", ""), GOOD.removesuffix(",")),
        ["row 1, column 'supersedes': missing column"],
    ),
    (
        "unknown id",
        csv(HEADER, GOOD.replace("KHM-1-10.1", "KHM-9-99.9")),
        ["row 2, column 'rec_id': unknown recommendation KHM-9-99.9"],
    ),
    (
        "invalid status",
        csv(HEADER, GOOD.replace("not_implemented", "done")),
        ["row 2, column 'status'"],
    ),
    (
        "invalid role",
        csv(HEADER, GOOD.replace("civil_society", "ngo")),
        ["row 2, column 'assessor_role'"],
    ),
    (
        "malformed date",
        csv(HEADER, GOOD.replace("2024-01-02", "02/01/2024")),
        ["row 2, column 'date'"],
    ),
    (
        "future date",
        csv(HEADER, GOOD.replace("2024-01-02", FUTURE)),
        [f"row 2, column 'date': {FUTURE} is in the future"],
    ),
    (
        "not http",
        csv(HEADER, GOOD.replace("SYNTHETIC why,,", "SYNTHETIC why,ftp://x.org,")),
        ["row 2, column 'evidence_url': 'ftp://x.org' is not an http(s) link"],
    ),
    (
        "javascript link",
        csv(HEADER, GOOD.replace("why,,", "why,javascript:alert(1),")),
        ["row 2, column 'evidence_url'"],
    ),
    ("duplicate rows", csv(HEADER, GOOD, GOOD), ["row 3: duplicate of row 2"]),
    (
        "formula",
        csv(HEADER, GOOD.replace("SYNTHETIC why", "=HYPERLINK(1)")),
        ["row 2, column 'rationale': starts like a spreadsheet formula"],
    ),
    (
        "formula @",
        csv(HEADER, GOOD.replace("SYNTHETIC org", "@SUM(A1)")),
        ["row 2, column 'assessor_org': starts like a spreadsheet formula"],
    ),
    ("too big", csv(HEADER, GOOD) + b" " * (10 * 1024 * 1024), ["the limit is 10 MB"]),
    ("not a template", csv("a,b", "1,2"), ["not an assessments or evidence template"]),
    ("no rows", csv(HEADER), ["no rows to import"]),
    (
        "evidence: bad direction",
        csv(EV_HEADER, EV_GOOD.replace("progress", "forward")),
        ["row 2, column 'direction'"],
    ),
    (
        "evidence: unknown id",
        csv(EV_HEADER, EV_GOOD.replace("KHM-2-20.1", "KHM-2-999.1")),
        ["row 2, column 'rec_ids': unknown recommendation KHM-2-999.1"],
    ),
    (
        "evidence: no kind of source",
        csv(EV_HEADER, EV_GOOD.replace(",civil_society,", ",,")),
        [
            "row 2, column 'source_kind': Input should be 'government', 'un', 'civil_society' or "
            "'media'"
        ],
    ),  # fmt: skip
    (
        "evidence: unknown kind of source",
        csv(EV_HEADER, EV_GOOD.replace(",civil_society,", ",blog,")),
        ["row 2, column 'source_kind'"],
    ),
    (
        "evidence: an old template without the kind of source",
        csv(
            EV_HEADER.replace(",source_kind,publisher", ""),
            EV_GOOD.replace(",civil_society,,", ","),
        ),
        [
            "row 1, column 'source_kind': missing column",
            "row 1, column 'publisher': missing column",
        ],
    ),
    (
        "evidence: a publisher over the limit",
        csv(EV_HEADER, EV_GOOD.replace("civil_society,,", "civil_society," + "P" * 301 + ",")),
        ["row 2, column 'publisher': is 301 characters long; the limit is 300"],
    ),
    (
        "evidence: future month",
        csv(EV_HEADER, EV_GOOD.replace("2023-05", f"{date.today().year + 1}-01")),
        ["row 2, column 'date'"],
    ),
]


@pytest.mark.parametrize(("case", "data", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_named_and_changes_nothing(tiny: Path, case, data, expected):
    before = fingerprint(tiny)
    with pytest.raises(InputError) as error:
        progress_import.import_progress(tiny, "input.csv", data, EDITOR)
    text = str(error.value)
    for fragment in expected:
        assert fragment in text, text
    assert fingerprint(tiny) == before


def test_a_csv_saved_in_a_legacy_encoding_is_read_as_such(tiny: Path):
    data = csv(
        HEADER, GOOD.replace("SYNTHETIC org", "SYNTHETIC Soci\xe9t\xe9 \u2013 \u201cA\u201d")
    )
    progress_import.import_progress(tiny, "cp1252.csv", data.decode().encode("cp1252"), EDITOR)
    stored = store.read_table(tiny, "assessments").to_pylist()[-1]
    assert stored["assessor_org"] == "SYNTHETIC Soci\xe9t\xe9 \u2013 \u201cA\u201d"


def test_xlsx_template_round_trip_and_formula_cells(tiny: Path):
    template = progress_import.template_xlsx("assessments")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template))
    assert [c.value for c in book["assessments"][1]] == HEADER.split(",")
    assert book["data dictionary"]["A2"].value == "rec_id"
    row = GOOD.split(",")
    good = xlsx([HEADER.split(","), row])
    kind, ids = progress_import.import_progress(tiny, "a.xlsx", good, EDITOR)
    assert kind == "assessments" and len(ids) == 1
    before = fingerprint(tiny)
    bad = xlsx([HEADER.split(","), GOOD.replace("2024-01-02", "2024-01-03").split(",")], "F2")
    with pytest.raises(InputError, match="row 2, column 'rationale': is a formula"):
        progress_import.import_progress(tiny, "b.xlsx", bad, EDITOR)
    assert fingerprint(tiny) == before


def test_the_command_line_importer(tiny: Path, tmp_path: Path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv(HEADER, GOOD))
    bad.write_bytes(csv(HEADER, GOOD.replace("civil_society", "ngo")))
    run = [sys.executable, "-m", "upr_data", "import", "--store", str(tiny)]
    ok = subprocess.run([*run, str(good)], capture_output=True, text=True, cwd=REPO_ROOT)
    assert ok.returncode == 0, ok.stderr
    assert "imported 1 assessments" in ok.stdout
    failed = subprocess.run([*run, str(bad)], capture_output=True, text=True, cwd=REPO_ROOT)
    assert failed.returncode == 1
    assert "bad.csv, row 2, column 'assessor_role'" in failed.stderr
    audit = store.read_table(tiny, "audit").to_pylist()
    assert len(audit) == 1 and audit[0]["who"].startswith("command line: ")


# -- permissions: every write path refuses anyone who is not an editor -----------------------------

ACCESS = Access.from_secrets(
    {"access": {"editors": ["Editor@Example.org"], "admins": ["admin@example.org"]}}
)


ISSUER = "https://idp.example.org"


def signed_in(email: str) -> Writer:
    """A person whose provider verified the e-mail."""
    claims = {"email": email, "email_verified": True, "sub": "0001", "iss": ISSUER}
    return Writer.from_claims(claims, ACCESS)


def test_access_from_secrets():
    assert ACCESS.role_of("editor@example.org") == "editor"
    assert ACCESS.role_of("ADMIN@example.org") == "admin"
    assert ACCESS.role_of("someone@example.org") == "viewer"
    assert ACCESS.role_of(None) == "viewer"
    assert Access.from_secrets({}).role_of("editor@example.org") == "viewer"


WRITES = {
    "add_assessment": lambda s, w: progress.add_assessment(
        s,
        {
            "rec_id": "KHM-1-10.1",
            "status": "not_implemented",
            "assessor_role": "government",
            "assessor_org": "o",
            "date": "2024-01-01",
            "rationale": "r",
        },
        w,
    ),
    "add_evidence": lambda s, w: progress.add_evidence(
        s,
        {
            "date": "2024",
            "rec_ids": "KHM-1-10.1",
            "role": "government",
            "actor": "a",
            "action_type": "policy",
            "direction": "progress",
            "summary": "s",
            "source_title": "t",
            "source_url": "https://example.org",
            "source_kind": "government",
        },
        w,
    ),
    "write_assessments": lambda s, w: progress.write_assessments(s, [], w),
    "write_evidence": lambda s, w: progress.write_evidence(s, [], w),
    "curate_tags": lambda s, w: progress.curate_tags(s, "KHM-1-10.1", "theme", ["women"], w, "x"),
    "import_progress": lambda s, w: progress_import.import_progress(
        s, "a.csv", csv(HEADER, GOOD), w
    ),
}


@pytest.mark.parametrize("path", list(WRITES))
@pytest.mark.parametrize(
    "writer",
    [
        None,
        signed_in("someone@example.org"),
        Writer.from_claims({"sub": "editor@example.org", "iss": ISSUER}, ACCESS),
        Writer.from_claims(
            {"email": "editor@example.org", "email_verified": False, "sub": "other", "iss": ISSUER},
            ACCESS,
        ),  # fmt: skip
        Writer("", "editor"),
    ],
    ids=["nobody", "signed-in viewer", "sub only", "unverified e-mail", "no e-mail"],
)
def test_every_write_path_refuses_a_viewer(tiny: Path, path, writer):
    before = fingerprint(tiny)
    with pytest.raises(NotAllowed):
        WRITES[path](tiny, writer)
    assert fingerprint(tiny) == before


@pytest.mark.parametrize("path", ["add_assessment", "add_evidence", "curate_tags"])
def test_every_write_path_accepts_an_editor(tiny: Path, path):
    WRITES[path](tiny, signed_in("editor@example.org"))
    assert check_store(tiny).ok


def test_curator_override_replaces_the_classifier_in_views(tiny: Path):
    progress.curate_tags(tiny, "KHM-1-10.2", "theme", ["women", "land_housing"], EDITOR, "why")
    db = queries.connect(tiny)
    assert queries.count(db, Filters(themes=("women",))) == 1
    tags = queries.recommendation(db, "KHM-1-10.2")["tags"]
    assert set(tags[tags["provenance"] == "curator"]["code"]) == {"women", "land_housing"}
    with pytest.raises(InputError, match="exactly one action category"):
        progress.curate_tags(tiny, "KHM-1-10.2", "action_category", ["1", "2"], EDITOR, "x")


# -- concurrency and crashes ------------------------------------------------------------


def _append_many(store_dir: str, worker: int) -> None:
    for i in range(5):
        progress.add_assessment(
            Path(store_dir),
            {
                "rec_id": "KHM-1-10.3",
                "status": "not_implemented",
                "assessor_role": "un",
                "assessor_org": f"SYNTHETIC worker {worker}",
                "date": f"2023-01-{i + 1:02d}",
                "rationale": f"worker {worker} row {i}",
            },
            EDITOR,
        )


def test_eight_processes_appending_at_once_lose_nothing(tiny: Path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(str(tiny), w)) for w in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=300)
        assert w.exitcode == 0
    rows = store.read_table(tiny, "assessments").to_pylist()
    added = {(r["assessor_org"], r["rationale"]) for r in rows if r["assessor_role"] == "un"}
    assert len(added) == 40
    assert store.read_table(tiny, "audit").num_rows == 40
    assert check_store(tiny).ok


KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from upr_data import progress, store
    from upr_data.access import Writer
    real_insert = store._insert
    def slow_insert(con, table, data):
        real_insert(con, table, data)
        Path(sys.argv[2]).touch()  # one table's rows are in the transaction: kill us now
        time.sleep(60)
    store._insert = slow_insert
    progress.add_evidence(Path(sys.argv[1]), {
        "date": "2024", "rec_ids": "KHM-1-10.1;KHM-1-10.2", "role": "government", "actor": "a",
        "action_type": "policy", "direction": "progress", "summary": "SYNTHETIC killed",
        "source_title": "t", "source_url": "https://example.org/killed",
        "source_kind": "government"},
        Writer("editor@example.org", "editor"))
""")


def test_a_writer_killed_mid_write_leaves_no_partial_rows(tiny: Path, tmp_path: Path):
    version = store.version(tiny)
    evidence_before = store.read_table(tiny, "evidence").num_rows
    flag = tmp_path / "one-file-renamed"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(tiny), str(flag)],
        cwd=REPO_ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not flag.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    assert flag.exists(), "the writer never got to its first insert"
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    # rows were written inside the transaction, which never committed: readers do not see them
    assert store.version(tiny) == version
    assert store.read_table(tiny, "evidence").num_rows == evidence_before
    assert check_store(tiny).ok
    # and the next writer is not blocked
    progress.add_assessment(
        tiny,
        {
            "rec_id": "KHM-1-10.1",
            "status": "not_implemented",
            "assessor_role": "un",
            "assessor_org": "o",
            "date": "2024-01-01",
            "rationale": "after the crash",
        },
        EDITOR,
    )
    assert store.version(tiny) != version


def _import_same_rows(store_dir: str, name: str, data: bytes, start) -> None:
    start.wait()
    try:
        progress_import.import_progress(Path(store_dir), name, data, EDITOR)
    except InputError as error:  # the later imports: every row is already there
        assert all("duplicate" in str(p) for p in error.problems), error.problems


def test_simultaneous_imports_of_the_same_rows_keep_one_copy(tiny: Path):
    """Eight processes import the same 200 assessments under eight file names at once: the
    duplicate check runs inside the serialised write, so 200 are stored and one audit row."""
    rows = [
        f"KHM-1-10.1,not_implemented,civil_society,SYNTHETIC org {i},2024-01-02,SYNTHETIC,,,,"
        for i in range(200)
    ]
    data = csv(HEADER, *rows)
    before = store.read_table(tiny, "assessments").num_rows
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [
        context.Process(target=_import_same_rows, args=(str(tiny), f"same-{w}.csv", data, start))
        for w in range(8)
    ]
    for w in workers:
        w.start()
    start.set()
    for w in workers:
        w.join(timeout=300)
        assert w.exitcode == 0
    assert store.read_table(tiny, "assessments").num_rows == before + 200
    audit = store.read_table(tiny, "audit").to_pandas()
    assert (audit["action"] == "import").sum() == 1
    assert check_store(tiny).ok
