"""The embassy brief (PDF): exactly the State's recommendations and responses, on clean pages."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from upr_data import brief, queries, store
from upr_data.filters import Filters
from upr_data.settings import DEFAULT_STORE

TODAY = date(2025, 3, 4)
HEADING = re.compile(r"Recommendation (\d+\.\d+) · (Supported|Partially supported|Noted|Pending)\b")
# Paragraph numbers of the loaded cycles (A/HRC/13/4 para 82, A/HRC/26/16 paras 118-119).
PARAGRAPH = re.compile(r"(?<![\d.])(?:82|118|119)\.\d{1,3}(?![\d.])")
DOCUMENTS = "A/HRC/13/4; A/HRC/26/16, A/HRC/26/16/Add.1"
LABELS = {"supported": "Supported", "noted": "Noted", "partially_supported": "Partially supported"}
DIRECTIONS = {"progress": "Progress", "regression": "Regression", "mixed": "Mixed"}
DIRECTIONS["no_change"] = "No change"
KINDS = {"government": "Government", "un": "UN", "civil_society": "Civil society", "media": "Media"}


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def version() -> str:
    return store.version(DEFAULT_STORE)


@pytest.fixture(scope="module")
def briefs(real_db, version) -> dict[str, list[str]]:
    return {
        iso3: _pages(brief.build_brief(real_db, iso3, data_version=version, today=TODAY))
        for iso3 in ("DEU", "FRA")
    }


@pytest.mark.parametrize("iso3", ["DEU", "FRA"])
def test_brief_holds_exactly_the_states_recommendations_and_responses(real_db, briefs, iso3):
    expected = queries.recommendations(real_db, Filters(states=(iso3,)))
    assert len(expected) == 9  # both made 9 in cycles 1-2
    text = "\n".join(briefs[iso3])
    headings = dict(HEADING.findall(text))
    assert headings == {r.paragraph: LABELS[r.response] for r in expected.itertuples(index=False)}
    # no other State's paragraph number anywhere (the first page's table repeats the same ones)
    assert set(PARAGRAPH.findall(text)) == set(expected["paragraph"])
    for r in expected.itertuples(index=False):  # the full official text, whitespace aside
        assert " ".join(r.text.split()) in " ".join(text.split())


def test_deu_cycles_follow_on_and_stay_short(real_db, briefs):
    pages = briefs["DEU"]
    cycles = queries.summary(real_db, Filters(states=("DEU",)))["cycles"]
    assert cycles == 2
    text = "\n".join(pages)
    assert text.index("\nCycle 1\n") < text.index("\nCycle 2\n")
    # both cycles' 9 entries, with their evidence, on at most four pages
    assert len(pages) <= 4
    assert "Recommendations of Germany to Cambodia" in pages[0]


def test_a_short_brief_is_one_page_not_one_per_cycle(real_db):
    """Bhutan made one recommendation in each loaded cycle: both cycles fit on the first page
    (each cycle used to start a page of its own, leaving three mostly blank pages)."""
    made = queries.recommendations(real_db, Filters(states=("BTN",)))
    assert sorted(made["cycle"].unique()) == [1, 2]

    pages = _pages(brief.build_brief(real_db, "BTN", data_version="7", today=TODAY))

    assert len(pages) == 1
    assert "\nCycle 1\n" in pages[0] and "\nCycle 2\n" in pages[0]
    for paragraph in made["paragraph"]:
        assert f"Recommendation {paragraph} · " in pages[0]


def test_summary_figures_are_the_queries(real_db, briefs):
    figures = queries.summary(real_db, Filters(states=("DEU",)))
    first = briefs["DEU"][0]
    for number, label in [
        (figures["recommendations"], "made or co-made"),
        (figures["supported"], "supported by Cambodia"),
        (figures["with_evidence"], "with evidence"),
        (figures["assessed"], "with an assessment"),
    ]:
        assert f"{number}\n{label}" in first
    assert (
        "Not counted here: cycle 3 (2019, 198 recommendations) and cycle 4 (2024), whose "
        "recommendations are not loaded. These figures cover cycles 1 and 2 only."
    ) in " ".join(first.split())


def test_history_assessment_and_evidence_are_shown(real_db, briefs):
    text = " ".join("\n".join(briefs["FRA"]).split())
    # 118.1 was supported at adoption, later noted (one of the eight changes of 2014)
    assert "Response history: Supported at adoption (A/HRC/26/16 para 118) → Noted later" in text
    assert "not assessed by any stakeholder role" in text
    deu = " ".join("\n".join(briefs["DEU"]).split())
    evidence = queries.recommendation(real_db, "KHM-1-82.54")["evidence"]
    latest = evidence.iloc[-1]  # the newest, with its publisher and kind of source
    assert len(evidence) > 3
    assert (
        f"Evidence ({len(evidence)} items), latest: {latest['date']:%Y-%m-%d} · "
        f"{DIRECTIONS[latest['direction']]}" in deu
    )
    assert f"{latest['publisher']}; {KINDS[latest['source_kind']]})" in deu
    assert latest["source_url"] in deu.replace(" ", "")


def test_a_sourced_assessment_shows_its_organisation_and_year(real_db):
    """KHM-2-118.53 (Mexico) is judged not implemented in a civil society submission of 2018."""
    text = " ".join("\n".join(_pages(brief.build_brief(real_db, "MEX", data_version="v"))).split())
    assert (
        "Civil society: Not implemented (Joint civil society coalition (ActionAid Cambodia" in text
    )
    assert "DanChurchAid), 2018); not assessed by Government" in text


def test_footer_on_every_page(briefs, version):
    for pages in briefs.values():
        for number, page in enumerate(pages, start=1):
            flat = " ".join(page.split())
            assert f"snapshot {version}" in flat
            assert "brief produced 2025-03-04" in flat
            assert f"official UN texts: {DOCUMENTS} (documents.un.org)" in flat
            assert "Evidence: public UN, government, civil-society and media pages" in flat
            assert "PROVENANCE" not in flat  # a file in the repository, not for a reader
            assert f"Page {number}/{len(pages)}" in flat


def test_footer_names_the_snapshot_in_words(real_db):
    when = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    data = brief.build_brief(real_db, "BTN", data_version="12", today=TODAY, data_as_of=when)

    assert "data as of 1 Dec 2026, snapshot 12" in " ".join(_pages(data)[0].split())


def test_unknown_state_code_raises(real_db):
    for code in ("XXX", "", "Germany", "DE"):
        with pytest.raises(ValueError):
            brief.build_brief(real_db, code, data_version="v")


def test_a_state_without_recommendations_gets_one_clear_page(real_db):
    pages = _pages(brief.build_brief(real_db, "isl", data_version="v", today=TODAY))
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    assert "Iceland made no recommendation to Cambodia in the cycles loaded in the tracker" in text
    assert not PARAGRAPH.search(text)
    assert "Page 1/1" in text


def test_tiny_store_statuses_and_history(tiny_db):
    """SYNTHETIC data: latest status per role, a superseded assessment, a changed position."""
    text = " ".join("\n".join(_pages(brief.build_brief(tiny_db, "DEU", data_version="t"))).split())
    assert set(HEADING.findall(text)) == {("10.1", "Supported"), ("20.1", "Supported")}
    assert "Government: Fully implemented (government org, 2020-01-01)" in text
    assert "Civil society: Partially implemented (civil_society org, 2020-02-01)" in text
    assert "Response history: Noted at adoption → Supported later (changed)" in text
    # E4 supersedes E3: only E4 is current evidence of R4
    assert "SYNTHETIC E4" in text and "SYNTHETIC E3" not in text
    fra = " ".join("\n".join(_pages(brief.build_brief(tiny_db, "FRA", data_version="t"))).split())
    assert "Government: Not implemented" in fra  # A5 supersedes A4
    assert "Partially implemented" not in fra


def test_own_parts_of_a_cluster():
    text = (
        "(a) Do one thing (Norway); (b) do another (Germany); "
        "(c) and a third (Iran (Islamic Republic of), Bosnia and Herzegovina);"
    )
    names = ["Norway", "Germany", "Iran (Islamic Republic of)", "Bosnia and Herzegovina"]
    pieces = brief.own_parts(text, names, ["Germany"])
    assert "".join(p for p, _mine in pieces) == text
    assert [p.strip() for p, mine in pieces if mine] == ["(b) do another (Germany);"]
    iran = brief.own_parts(text, names, ["Iran (Islamic Republic of)"])
    assert [p.strip() for p, mine in iran if mine] == [
        "(c) and a third (Iran (Islamic Republic of), Bosnia and Herzegovina);"
    ]
    assert brief.own_parts("Do it (Germany);", ["Germany"], ["Germany"]) == [
        ("Do it (Germany);", False)
    ]


def test_write_brief(tiny, tmp_path):
    out = brief.write_brief(tiny, "DEU", tmp_path / "out" / "brief.pdf")
    assert out.read_bytes().startswith(b"%PDF")
