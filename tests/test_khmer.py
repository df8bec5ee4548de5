"""Khmer everywhere it is shown: the embassy brief, chart images, the search, the language switch.

The locale is per thread (a context variable): the `khmer` fixture sets it in the test's thread;
AppTest runs the app's script in a thread of its own, where app.py sets it from `?lang=`.
"""

from __future__ import annotations

import io
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest
import streamlit as st
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from tests.test_pages import open_page
from upr_data import brief, chart_export, charts, i18n, queries, taxonomy
from upr_data.filters import Filters, is_khmer, label_matches
from upr_data.settings import REPO_ROOT

LAND = taxonomy.THEMES["land_housing"]
LAND_KM = i18n.translate(LAND, "km")  # ដីធ្លី លំនៅដ្ឋាន និងការបណ្តេញចេញដោយបង្ខំ
LAND_WORD = LAND_KM.split()[0]  # ដីធ្លី, "land"
TIMEOUT = 60


def km(message: str) -> str:
    return i18n.translate(message, "km")


@pytest.fixture
def khmer():
    i18n.set_locale("km")
    yield
    i18n.set_locale("en")


# -- the embassy brief -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def khmer_brief(real_db) -> PdfReader:
    i18n.set_locale("km")
    try:
        data = brief.build_brief(real_db, "DEU", data_version="test")
    finally:
        i18n.set_locale("en")
    return PdfReader(io.BytesIO(data))


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"], "the font is not embedded"
            names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


def test_the_khmer_brief_embeds_noto_sans_khmer_beside_dejavu(khmer_brief):
    fonts = _fonts(khmer_brief)
    assert {"NotoSansKhmer", "DejaVuSansBook"} <= fonts, fonts
    # Every page draws Khmer: its labels, headings and footer.
    for page in khmer_brief.pages:
        assert "NotoSansKhmer" in {
            str(f.get_object()["/BaseFont"]).split("+")[-1]
            for f in page["/Resources"]["/Font"].values()
        }


def test_the_khmer_brief_text_extracts_back(khmer_brief):
    first = khmer_brief.pages[0].extract_text()
    # Catalog strings with subscript consonants (ស្តុ, ផ្ត): shaped, and read back as written.
    assert km("with evidence") in first  # មានភស្តុតាង
    assert km("Recommendations of {state} to {reviewed}").split()[0] in first  # អនុសាសន៍របស់
    later = khmer_brief.pages[1].extract_text()
    assert km("Cycle {cycle}").format(cycle=1) in later  # ជុំទី 1
    # The official texts stay English, beside the Khmer.
    assert "Germany" in first


def test_the_english_brief_has_no_khmer_font(real_db):
    data = brief.build_brief(real_db, "DEU", data_version="test")
    assert "NotoSansKhmer" not in _fonts(PdfReader(io.BytesIO(data)))


# -- charts ----------------------------------------------------------------------------------------


def _png(chart: alt.Chart) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(chart_export.to_png(chart, scale=1))).convert("L"))


def _titled(title: str) -> alt.Chart:
    frame = pd.DataFrame({"theme": ["land_housing"], "response": ["supported"], "n": [3]})
    chart = charts.theme_response(frame, 3, "paragraphs")
    return chart.properties(title=alt.TitleParams(title, anchor="start", fontSize=18))


def test_khmer_charts_name_the_khmer_font(khmer):
    frame = pd.DataFrame({"theme": ["land_housing"], "response": ["supported"], "n": [3]})
    spec = charts.theme_response(frame, 3, "paragraphs").to_dict()
    assert "Noto Sans Khmer" in spec["config"]["font"]
    assert spec["config"]["axis"]["labelFontSize"] == charts.FONT_SIZE  # the rest is kept
    slide = pd.DataFrame({"cycle": [2], "cycle_label": ["2"], "response": ["supported"], "n": [3]})
    bar = charts.cycle_responses(slide, "X")
    assert "Noto Sans Khmer" in bar.to_dict()["config"]["font"]
    # Lines of Khmer set 1.6 times their size apart, so that its marks do not touch.
    assert spec["title"]["lineHeight"] == round(18 * 1.6)
    assert bar.to_dict()["title"]["subtitleLineHeight"] == round((charts.SLIDE_FONT_SIZE - 2) * 1.6)
    i18n.set_locale("en")
    english = charts.theme_response(frame, 3, "paragraphs").to_dict()
    assert "font" not in english["config"] and "lineHeight" not in english["title"]


def test_a_khmer_chart_png_draws_glyphs_not_boxes(khmer):
    """The same chart titled in Khmer and with as many unassigned characters (drawn as the
    missing-glyph box, or nothing): identical images would mean Khmer had no glyphs."""
    title = LAND_KM
    khmer_png = _png(_titled(title))
    boxes_png = _png(_titled("\ue000" * len(title)))
    assert chart_export.FONT_DIRS[0] in chart_export._registered
    assert khmer_png.shape == boxes_png.shape
    title_band = slice(0, 26)  # the title's rows (18 px type and its marks), above the plot
    assert (khmer_png[title_band] < 128).sum() > 500, "no ink in the title"
    assert (khmer_png[title_band] != boxes_png[title_band]).sum() > 500, "Khmer drawn as boxes"
    # The check can fail: two different unassigned characters give the very same boxes.
    assert (boxes_png == _png(_titled("\ue123" * len(title)))).all()


def test_a_khmer_chart_svg_names_the_font(khmer):
    svg = chart_export.to_svg(_titled(LAND_KM))
    assert "Noto Sans Khmer" in svg and LAND_WORD in svg


# -- Khmer search ----------------------------------------------------------------------------------


def test_the_khmer_word_for_land_finds_the_land_themes_recommendations(real_db):
    assert LAND_WORD == "ដីធ្លី" and is_khmer(LAND_WORD)
    themes, groups = label_matches(LAND_WORD)
    assert "land_housing" in themes
    f = Filters.from_params({"q": LAND_WORD})
    theme = Filters(themes=("land_housing",))
    assert queries.count(real_db, f) == queries.count(real_db, theme) > 0
    found = set(queries.recommendations(real_db, f)["rec_id"])
    assert found == set(queries.recommendations(real_db, theme)["rec_id"])
    # Exactly the recommendations with a theme or group whose Khmer label holds the word.
    tagged = set()
    for one in [Filters(themes=(c,)) for c in themes] + [Filters(groups=(c,)) for c in groups]:
        tagged |= set(queries.recommendations(real_db, one)["rec_id"])
    assert found == tagged
    described = f.describe(queries.count(real_db, f))
    assert f"text “{LAND_WORD}” matched the theme “{LAND}”" in described


def test_the_khmer_search_is_described_in_khmer(real_db, khmer):
    f = Filters.from_params({"q": LAND_WORD})
    described = f.describe(queries.count(real_db, f))
    assert f"“{LAND_KM}”" in described


def test_a_khmer_search_that_matches_no_label_finds_nothing(real_db):
    f = Filters.from_params({"q": "ក្ក្ក"})
    assert label_matches(f.text) == ((), ())
    assert queries.count(real_db, f) == 0
    assert "matched no theme or group of persons" in f.describe(0)


def test_khmer_search_combines_with_other_filters(real_db):
    f = Filters.from_params({"q": LAND_WORD, "response": "supported"})
    expected = Filters(themes=("land_housing",), responses=("supported",))
    assert queries.count(real_db, f) == queries.count(real_db, expected)
    assert queries.count(real_db, f, "states") == queries.count(real_db, expected, "states")


def test_latin_search_is_unchanged(real_db):
    assert label_matches("land") == ((), ())
    assert queries.count(real_db, Filters(text="land")) > 0


# -- numbers ---------------------------------------------------------------------------------------


def test_counts_in_sentences_are_written_by_babel(khmer):
    assert i18n.number(1234567) == "1,234,567"
    text = Filters().describe(1234)
    assert "1,234" in text and text.startswith(km("{n} recommendation, all shown")[:4])


# -- the language switch ---------------------------------------------------------------------------


@pytest.fixture
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def _texts(at: AppTest) -> str:
    return " ".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [h.value for h in at.header]
        + [getattr(w, "label", "") for w in at.sidebar.radio]
    )


def test_the_language_switch_keeps_lang_in_the_url_across_pages(fresh_caches, khmer):
    i18n.set_locale("en")  # as the first run: the `khmer` fixture restores English at the end
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["response"] = "supported"
    at.run()
    switch = at.sidebar.radio(key="lang_switch")
    assert switch.value == "en" and "lang" not in at.query_params
    assert km("Filters") not in _texts(at)

    switch.set_value("km").run()
    # The widgets' labels are now Khmer; AppTest formats their values in this thread.
    i18n.set_locale("km")
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["lang"] in ("km", ["km"])
    assert at.query_params["response"] in ("supported", ["supported"])
    texts = _texts(at)
    assert km("Filters") in texts
    # The note that recommendations stay in their official English, in Khmer only.
    assert any(
        c.value == km("Recommendations are shown in their official English text.")
        for c in at.sidebar.caption
    )

    at.switch_page("views/present.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["lang"] in ("km", ["km"])
    assert km("Filters") in _texts(at)
    assert at.sidebar.radio(key="lang_switch").value == "km"

    at.sidebar.radio(key="lang_switch").set_value("en").run()
    i18n.set_locale("en")
    assert "lang" not in at.query_params
    assert "Filters" in _texts(at)


def test_a_link_with_lang_km_opens_in_khmer(fresh_caches, khmer):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "km"
    at.query_params["q"] = LAND_WORD
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.radio(key="lang_switch").value == "km"
    assert any(LAND_KM in m.value for m in at.markdown), "the header names the matched theme"


# -- problems found in imported files ------------------------------------------------------------


def test_import_problems_are_in_khmer(tmp_path, khmer):
    """A file the importers refuse is explained in Khmer; the file name and suffix stay as is."""
    from upr_data import progress_import
    from upr_data.access import Writer
    from upr_data.ingest.detect import read_file
    from upr_data.problems import InputError

    odd = tmp_path / "notes.pdf"
    odd.write_bytes(b"%PDF-1.4")
    (problem,) = read_file(odd).problems
    assert problem.file == "notes.pdf"
    assert problem.message == km(
        "unknown file type {suffix}: expected .xlsx, .xls, .ods or .csv"
    ).format(suffix="'.pdf'")
    assert "unknown file type" not in problem.message

    empty = tmp_path / "assessments.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        progress_import.import_path(tmp_path, empty, Writer("editor@example.org", "editor"))
    messages = [p.message for p in raised.value.problems]
    assert messages == [km("{where} is empty: no header row").format(where=km("the file"))]


def test_the_list_names_recommending_states_in_khmer(real_db):
    """The Explore list's States column: Babel's Khmer names in km, the store's in English."""
    from upr_data import i18n, queries, tables
    from upr_data.filters import Filters

    listing = queries.recommendations(real_db, Filters(states=("FRA",)))
    try:
        i18n.set_locale("km")
        shown = tables.recommendations(listing)
        column = shown[i18n._("Recommending States")]
        assert column.str.contains("បារាំង").all() and not column.str.contains("France").any()
    finally:
        i18n.set_locale("en")
    english = tables.recommendations(listing)["Recommending States"]
    assert english.str.contains("France").all()


def _slide_title(at: AppTest) -> str:
    slide = next(m.value for m in at.markdown if "<div class='slide" in m.value)
    return re.search(r"<h1[^>]*>(.*?)</h1>", slide, re.S)[1]


def test_the_slides_are_in_the_language_of_each_reader(fresh_caches, khmer):
    # One server, one cache: an English reader's deck is not shown to a Khmer reader.
    i18n.set_locale("en")
    english = _slide_title(open_page("present", slide="2"))
    assert english and not is_khmer(english), english
    i18n.set_locale("km")
    khmer_title = _slide_title(open_page("present", slide="2", lang="km"))
    assert is_khmer(khmer_title), khmer_title
