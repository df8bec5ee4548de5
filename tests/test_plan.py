"""The implementation plan: import (good and hostile files, the store unchanged on error), the
overdue and gap logic at its boundaries, corrections and progress, the calendar file parsed back
by a calendar library, and the Plan page. Every plan here is SYNTHETIC (no real plan is
available); its actions say so."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from tests.conftest import fingerprint
from tests.test_pages import open_page, tables_shown
from upr_data import queries, store
from upr_data.access import Writer
from upr_data.filters import Filters
from upr_data.plan import calendar, importer, write
from upr_data.plan import queries as plan
from upr_data.plan.model import due_date
from upr_data.problems import InputError

WRITER = Writer.command_line()
TODAY = date(2026, 12, 1)

GOOD_CSV = "\n".join(
    [
        "\ufeffNo.,Recommendation text,Lead ministry,Supporting institutions,Activities,"
        "Indicators,Baseline,Target,Timeframe",
        "82.1,(text as in the plan),Ministry of Justice,Cambodian Human Rights Committee,"
        "SYNTHETIC: draft the law,Law adopted,No draft,Adopted,2025",
        '"82.2, 82.3",,Ministry of Interior,Ministry of Justice; Ministry of Information,'
        "SYNTHETIC: train officers,Officers trained,0,400,Q1 2027",
        "82.4,,ក្រសួងយុត្តិធម៌,,SYNTHETIC: review the code,Review published,,,ongoing",
        "82.5,,Ministry of Interior,,SYNTHETIC: report,Report,,,2026-12-01",
        "",
    ]
)


def write_csv(folder: Path, text: str, name: str = "plan.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load(store_dir: Path, text: str = GOOD_CSV, **kwargs) -> list[str]:
    path = write_csv(store_dir.parent, text)
    ids, _notes = importer.import_path(store_dir, path, WRITER, sur="KHM", cycle=1, **kwargs)
    return ids


def problems(error: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in error.value.problems]


# -- timelines -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timeline", "due", "precision"),
    [
        ("2026-06-30", date(2026, 6, 30), "day"),
        ("30/06/2026", date(2026, 6, 30), "day"),
        ("2026-02", date(2026, 2, 28), "month"),
        ("June 2026", date(2026, 6, 30), "month"),
        ("Q3 2026", date(2026, 9, 30), "quarter"),
        ("2026 Q4", date(2026, 12, 31), "quarter"),
        ("2026", date(2026, 12, 31), "year"),
        ("2025-2027", date(2027, 12, 31), "year"),
        ("2025 – 2027", date(2027, 12, 31), "year"),
        ("by end of 2026", date(2026, 12, 31), "year"),
        ("២០២៦", date(2026, 12, 31), "year"),
        ("Ongoing", None, None),
        ("", None, None),
    ],
)
def test_a_timeline_as_a_plan_words_it_gives_the_last_day_of_its_period(timeline, due, precision):
    assert due_date(timeline) == (due, precision)


@pytest.mark.parametrize("timeline", ["soon", "2026-13", "31/02/2026", "2027-2025"])
def test_a_timeline_that_is_no_date_or_period_is_refused_with_what_to_write(timeline):
    with pytest.raises(ValueError, match="2025|begins"):
        due_date(timeline)


# -- import ----------------------------------------------------------------------------------------


def test_a_plan_matrix_with_its_own_headers_imports_every_row(bundled_copy):
    ids = load(bundled_copy)
    assert len(ids) == 4
    con = queries.connect(bundled_copy)
    items = plan.items(con, Filters(), TODAY).set_index("action")
    row = items.loc["SYNTHETIC: train officers"]
    assert row["recommendations"] == "KHM-1-82.2; KHM-1-82.3"
    assert row["responsible_en"] == "Ministry of Interior"
    assert row["supporting_en"] == "Ministry of Justice; Ministry of Information"
    assert row["due_date"].date() == date(2027, 3, 31)
    assert items.loc["SYNTHETIC: review the code", "responsible_km"] == "ក្រសួងយុត្តិធម៌"
    institutions = {r["name_en"] or r["name_km"]: r for r in write.institutions(bundled_copy)}
    assert institutions["Ministry of Interior"]["kind"] == "ministry"
    assert institutions["Cambodian Human Rights Committee"]["kind"] == "nhri"
    audit = store.read_table(bundled_copy, "audit").to_pylist()[-1]
    assert audit["action"] == "import_plan" and audit["file_name"] == "plan.csv"
    assert audit["file_sha256"]


def test_the_template_and_its_dictionary_import_as_they_are_filled(bundled_copy, tmp_path):
    book = load_workbook(io.BytesIO(importer.template_xlsx()))
    assert book.sheetnames == ["plan", "data dictionary"]
    sheet = book["plan"]
    sheet.append(
        [
            "KHM-2-118.4",
            "Ministry of Health",
            None,
            "SYNTHETIC: clinics",
            None,
            None,
            None,
            date(2027, 6, 30),
            "SYNTHETIC plan 2026",
        ]
    )
    path = tmp_path / "filled.xlsx"
    book.save(path)
    ids, notes = importer.import_path(bundled_copy, path, WRITER, sur="KHM")
    assert len(ids) == 1 and notes == []
    item = plan.items(queries.connect(bundled_copy), Filters(), TODAY).iloc[0]
    assert item["due_date"].date() == date(2027, 6, 30)
    assert item["source_document"] == "SYNTHETIC plan 2026"


HOSTILE = {
    "unknown recommendation": (
        "Recommendation,Ministry,Action,Timeline\n82.1,Ministry of Justice,SYNTHETIC: a,2026\n"
        "999.9,Ministry of Justice,SYNTHETIC: b,2026\n",
        "plan.csv, row 3, column 'Recommendation': unknown recommendation 999.9",
    ),
    "bad timeline": (
        "Recommendation,Ministry,Action,Timeline\n82.1,Ministry of Justice,SYNTHETIC: a,soon\n",
        "plan.csv, row 2, column 'Timeline': 'soon' is not a date or period",
    ),
    "missing column": (
        "Recommendation,Action,Timeline\n82.1,SYNTHETIC: a,2026\n",
        "plan.csv, row 1, column 'responsible': missing column",
    ),
    "formula": (
        'Recommendation,Ministry,Action\n82.1,Ministry of Justice,=HYPERLINK("x")\n',
        "plan.csv, row 2, column 'Action': starts like a spreadsheet formula",
    ),
    "no action": (
        "Recommendation,Ministry,Action\n82.1,Ministry of Justice,\n",
        "plan.csv, row 2, column 'Action': is empty",
    ),
    "duplicate rows": (
        "Recommendation,Ministry,Action\n82.1,Ministry of Justice,SYNTHETIC: a\n"
        "82.1,Ministry of Justice,SYNTHETIC: a\n",
        "plan.csv, row 3: duplicate of row 2",
    ),
    "another State's recommendation": (
        "Recommendation,Ministry,Action\nSVN-3-1.1,Ministry of Justice,SYNTHETIC: a\n",
        "unknown recommendation SVN-3-1.1",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_bad_plan_file_names_file_row_and_column_and_leaves_the_store_as_it_was(
    bundled_copy, case
):
    text, message = HOSTILE[case]
    load(bundled_copy)  # an earlier plan: still there afterwards
    before = fingerprint(bundled_copy)
    with pytest.raises(InputError) as error:
        load(bundled_copy, text)
    assert any(message in p for p in problems(error)), problems(error)
    assert fingerprint(bundled_copy) == before
    assert len(plan.items(queries.connect(bundled_copy), Filters(), TODAY)) == 4


def test_the_same_plan_twice_is_refused_as_a_duplicate(bundled_copy):
    load(bundled_copy)
    with pytest.raises(InputError) as error:
        load(bundled_copy)
    assert "plan.csv, row 2: duplicate: this plan item is already there" in problems(error)


def test_a_file_that_is_not_a_plan_says_so(bundled_copy, tmp_path):
    path = write_csv(tmp_path, "Name,Value\nx,1\n", "other.csv")
    with pytest.raises(InputError) as error:
        importer.import_path(bundled_copy, path, WRITER, sur="KHM")
    assert any("missing column (a header such as recommendation" in p for p in problems(error))


# -- states at the boundaries ----------------------------------------------------------------------


def _states(store_dir, today=TODAY) -> dict[str, str]:
    items = plan.items(queries.connect(store_dir), Filters(), today)
    return dict(zip(items["action"], items["state"], strict=True))


def test_overdue_due_today_and_no_due_date_at_their_boundaries(bundled_copy):
    load(bundled_copy)
    assert _states(bundled_copy) == {
        "SYNTHETIC: draft the law": "overdue",  # 31 Dec 2025 < 1 Dec 2026
        "SYNTHETIC: train officers": "later",  # 31 Mar 2027: beyond 90 days (1 Mar 2027)
        "SYNTHETIC: review the code": "no_due_date",  # ongoing: never overdue
        "SYNTHETIC: report": "due",  # due today is not overdue
    }
    assert _states(bundled_copy, date(2026, 12, 2))["SYNTHETIC: report"] == "overdue"
    # 31 March 2027 is 90 days after 31 December 2026 (due), 91 after the 30th (later).
    assert _states(bundled_copy, date(2026, 12, 31))["SYNTHETIC: train officers"] == "due"
    assert _states(bundled_copy, date(2026, 12, 30))["SYNTHETIC: train officers"] == "later"
    assert _states(bundled_copy, date(2040, 1, 1))["SYNTHETIC: review the code"] == "no_due_date"
    counts = plan.state_counts(queries.connect(bundled_copy), Filters(), TODAY)
    assert counts == {"overdue": 1, "due": 1, "later": 1, "no_due_date": 1, "completed": 0}


def test_a_correction_supersedes_the_item_and_completion_ends_overdue(bundled_copy):
    ids = load(bundled_copy)
    overdue = next(
        i for i, a in zip(ids, ["law", "officers", "code", "report"], strict=True) if a == "law"
    )
    write.add_item(
        bundled_copy,
        dict(
            sur="KHM",
            rec_ids="KHM-1-82.1",
            responsible="Ministry of Justice",
            action="SYNTHETIC: draft the law",
            timeline="2027",
            item_id=overdue,
            note="SYNTHETIC: the plan's revision moved the date",
        ),
        WRITER,
    )
    assert _states(bundled_copy)["SYNTHETIC: draft the law"] == "later"
    stored = store.read_table(bundled_copy, "plan_items").to_pylist()
    assert [r["timeline"] for r in stored if r["item_id"] == overdue] == ["2025", "2027"]

    report = next(i for i, a in zip(ids, "locr", strict=True) if a == "r")
    write.add_progress(
        bundled_copy,
        dict(
            item_id=report, status="completed", date="2026-11-30", reported_by="SYNTHETIC monitor"
        ),
        WRITER,
    )
    assert _states(bundled_copy, date(2027, 1, 5))["SYNTHETIC: report"] == "completed"
    counts = plan.state_counts(queries.connect(bundled_copy), Filters(), date(2027, 1, 5))
    assert counts["completed"] == 1 and counts["overdue"] == 0


def test_withdrawn_items_leave_the_plan_and_the_gap_list_counts_them_missing(bundled_copy):
    con = queries.connect(bundled_copy)
    before = len(plan.gaps(con, Filters(cycles=(1,))))
    assert before == 91  # every first-cycle recommendation was supported
    ids = load(bundled_copy)
    gaps = plan.gaps(queries.connect(bundled_copy), Filters(cycles=(1,)))
    assert len(gaps) == 91 - 5
    assert not {"KHM-1-82.1", "KHM-1-82.5"} & set(gaps["rec_id"])
    write.add_item(
        bundled_copy,
        dict(
            sur="KHM",
            rec_ids="KHM-1-82.5",
            responsible="Ministry of Interior",
            action="SYNTHETIC: report",
            timeline="2026-12-01",
            item_id=ids[3],
            withdrawn=True,
        ),
        WRITER,
    )
    con = queries.connect(bundled_copy)
    assert "KHM-1-82.5" in set(plan.gaps(con, Filters(cycles=(1,)))["rec_id"])
    assert "SYNTHETIC: report" not in _states(bundled_copy)
    themes = plan.gaps_by_theme(con, Filters(cycles=(1,)))
    assert themes["no_plan"].sum() >= 87 and (themes["no_plan"] <= themes["supported"]).all()


def test_the_filters_choose_the_items_of_the_selection(bundled_copy):
    load(bundled_copy)
    con = queries.connect(bundled_copy)
    assert len(plan.items(con, Filters(cycles=(2,)), TODAY)) == 0
    assert len(plan.items(con, Filters(cycles=(1,)), TODAY)) == 4
    only = plan.items(con, Filters(text="SYNTHETIC-none-such"), TODAY)
    assert only.empty


def test_progress_must_name_a_known_item_evidence_and_assessment(bundled_copy):
    ids = load(bundled_copy)
    with pytest.raises(InputError) as error:
        write.add_progress(
            bundled_copy,
            dict(
                item_id=ids[0],
                status="in_progress",
                date="2026-11-01",
                reported_by="SYNTHETIC",
                evidence_id="EV-NONE",
            ),
            WRITER,
        )
    assert problems(error) == ["form, column 'evidence_id': unknown evidence EV-NONE"]


def test_a_viewer_cannot_write_a_plan(bundled_copy):
    from upr_data.access import NotAllowed

    with pytest.raises(NotAllowed):
        load(bundled_copy, writer=None) if False else importer.import_path(
            bundled_copy, write_csv(bundled_copy.parent, GOOD_CSV), Writer("x", "viewer")
        )


# -- the calendar ----------------------------------------------------------------------------------


def test_the_calendar_file_parses_back_with_its_key_dates_and_due_dates(bundled_copy):
    load(bundled_copy)
    con = queries.connect(bundled_copy)
    dates = plan.calendar_dates(con, Filters(), TODAY)
    parsed = Calendar.from_ical(calendar.to_ics(dates, "UPR calendar: Cambodia"))
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    review = events["upr-review-KHM-2@upr-tracker"]
    assert review.decoded("DTSTART") == date(2014, 1, 28)
    adoption = events["upr-adoption-KHM-2@upr-tracker"]
    # A/HRC/26/16: the Council's 26th session, June 2014; an estimated month spans the month.
    assert adoption.decoded("DTSTART") == date(2014, 6, 1)
    assert adoption.decoded("DTEND") == date(2014, 7, 1)
    assert "(estimated)" in str(adoption["SUMMARY"])
    midterm = events["upr-midterm-KHM-4@upr-tracker"]
    assert midterm.decoded("DTSTART") == date(2027, 3, 1)  # Sept 2024 + 30 months
    assert events["upr-next_review-KHM-5@upr-tracker"].decoded("DTSTART") == date(2028, 11, 1)
    due = [e for e in events.values() if str(e["UID"]).startswith("plan-")]
    assert sorted(e.decoded("DTSTART") for e in due) == [
        date(2025, 12, 31),
        date(2026, 12, 1),
        date(2027, 3, 31),
    ]
    assert all("Responsible:" in str(e["DESCRIPTION"]) for e in due)
    assert str(parsed["X-WR-CALNAME"]) == "UPR calendar: Cambodia"
    again = Calendar.from_ical(calendar.to_ics(dates, "x"))
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)  # stable UIDs


def test_upcoming_dates_are_those_within_the_window(bundled_copy):
    dates = plan.calendar_dates(queries.connect(bundled_copy), Filters(), TODAY)
    soon = calendar.upcoming(dates, date(2027, 1, 1), 90)
    assert [(k.kind, k.when) for k in soon] == [("midterm", date(2027, 3, 1))]


# -- the page --------------------------------------------------------------------------------------


def test_the_plan_page_says_no_plan_ships_and_lists_every_supported_recommendation_as_a_gap():
    at = open_page("plan")
    assert any("No implementation plan is loaded" in i.value for i in at.info)
    assert any(
        "254 supported recommendations of this selection have no plan item" in m.value
        for m in at.markdown
    )
    # The calendar's 14 dates are a plain table: each estimate's reason can be read whole.
    dates = next(t for t in tables_shown(at) if "Notes" in t.columns)
    assert len(dates) == 14
    assert dates["Notes"].str.contains("A/HRC/13/4, is numbered for the Council's session 13").any()


def test_the_plan_page_shows_who_is_responsible_and_what_is_overdue(bundled_copy, monkeypatch):
    load(bundled_copy)
    monkeypatch.setenv("UPR_LAKE", str(bundled_copy))
    at = open_page("plan", cycle="1")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Plan items"] == "4"
    assert metrics["Overdue"] == str(
        _states(bundled_copy, date.today()).values().__iter__()
        and sum(1 for s in _states(bundled_copy, date.today()).values() if s == "overdue")
    )
    # Short tables are shown whole (plain tables), the long ones as grids.
    tables = tables_shown(at) + [d.value for d in at.dataframe]
    who = next(t for t in tables if "Institution" in t.columns)
    assert set(who["Institution"]) == {"Ministry of Justice", "Ministry of Interior", "ក្រសួងយុត្តិធម៌"}
    assert any("86 supported recommendations" in m.value for m in at.markdown)
    assert at.get("download_button")


# -- the brief and the slides ----------------------------------------------------------------------


def _brief_text(con, iso3: str) -> str:
    import io as _io

    from pypdf import PdfReader

    from upr_data import brief

    data = brief.build_brief(con, iso3, data_version="1", today=TODAY)
    text = " ".join(p.extract_text() for p in PdfReader(_io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_the_brief_carries_the_plan_items_of_its_recommendations(bundled_copy):
    before = _brief_text(queries.connect(bundled_copy), "ESP")
    assert "No implementation plan is loaded in the tracker" in before
    load(bundled_copy)
    text = _brief_text(queries.connect(bundled_copy), "ESP")  # Spain made 82.2
    assert "No implementation plan is loaded" not in text
    assert "Plan: Ministry of Interior · SYNTHETIC: train officers · due 2027-03-31" in text
    # Spain's other supported recommendations have none, and the brief says so
    assert "Plan: no plan item for this supported recommendation." in text
    assert "SYNTHETIC: draft the law" not in text  # Brazil's (82.1), not Spain's
    overdue = _brief_text(queries.connect(bundled_copy), "BRA")
    assert "SYNTHETIC: draft the law · due 2025-12-31 (overdue)" in overdue


def test_the_overview_shows_what_falls_due_in_the_next_90_days(bundled_copy, monkeypatch):
    load(bundled_copy)
    monkeypatch.setenv("UPR_LAKE", str(bundled_copy))
    today = date.today()
    expected = calendar.upcoming(
        plan.calendar_dates(queries.connect(bundled_copy), Filters(), today), today, 90
    )
    at = open_page("overview")
    assert any(s.value == "Due in the next 90 days" for s in at.header)
    if expected:
        shown = next(t for t in tables_shown(at) if {"When", "Kind"} <= set(t.columns))
        assert list(shown["What"]) == [k.title for k in expected]
    else:
        assert any("Nothing is due in the next 90 days." in c.value for c in at.caption)
    overdue = plan.state_counts(queries.connect(bundled_copy), Filters(), today)["overdue"]
    assert overdue >= 1  # the 2025 item
    assert any(f"{overdue} plan items are overdue" in m.value for m in at.markdown)


def test_the_slides_carry_the_plan_of_each_theme(bundled_copy):
    from upr_data import slides

    first = slides.build(queries.connect(bundled_copy), Filters(cycles=(1,)), today=TODAY)
    assert first[0].bullets[-1].startswith("No implementation plan is loaded")
    assert not any("Plan:" in b for s in first for b in s.bullets)
    load(bundled_copy)
    con = queries.connect(bundled_copy)
    deck = slides.build(con, Filters(cycles=(1,)), today=TODAY)
    assert deck[0].bullets[-1] == "Plan: 4 items, 1 overdue; 86 supported recommendations have none"
    named = 0
    for slide in deck[1:]:
        theme = Filters(cycles=(1,), themes=(slide.subject,))
        items = plan.items(con, theme, TODAY)
        lines = [b for b in slide.bullets if b.startswith("Plan:")]
        assert lines[0].startswith(f"Plan: {len(items)} items, ")
        assert len(lines) == 1 + min(2, len(items))
        named += len(lines) - 1
        if (items["state"] == "overdue").any():  # the overdue item comes first
            assert "SYNTHETIC: draft the law · due 2025-12-31 (overdue)" in lines[1]
    assert named >= 4  # every item is on the slide of a theme of its recommendations
