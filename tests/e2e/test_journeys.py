"""What a reader does in a browser: open a shared link, change a filter, pass the link on.

Every expected number comes from DuckDB through the package, on the same store copy the server
reads, never from a constant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.e2e.browser_support import (
    PAGE_PATHS,
    SCREENS_DIR,
    BrowserProblems,
    StreamlitServer,
    open_app,
    wait_for_run,
)
from upr_data import queries
from upr_data.filters import Filters

pytestmark = pytest.mark.browser

HEADER = re.compile(r"^(\d+) recommendations?\b")
LAND_SUPPORTED = Filters(themes=("land_housing",), responses=("supported",))
LAND_SUPPORTED_URL = "/explore?theme=land_housing&response=supported"
# Pages that show the selection header, loaded and photographed by test_page_loads (the states
# page is loaded, checked and photographed by the map test).
PAGES = {
    name: PAGE_PATHS[name] for name in ("overview", "explore", "themes", "stakeholders", "progress")
}


@pytest.fixture
def expected(db) -> Callable[[Filters], str]:
    """The selection header the app should show for `f`: its count from DuckDB, in words."""

    def _expected(f: Filters) -> str:
        return f.describe(queries.count(db, f))

    return _expected


def header(page: Page) -> Locator:
    """The bold selection header ('21 recommendations where …') in the main area."""
    return (
        page.get_by_test_id("stMain").get_by_test_id("stMarkdownContainer").filter(has_text=HEADER)
    )


def shown_count(page: Page) -> int:
    match = HEADER.match(header(page).inner_text())
    assert match, f"no count in the header: {header(page).inner_text()!r}"
    return int(match.group(1))


def expect_no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def url_params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def add_response(page: Page, label: str) -> None:
    """Pick one more value in the sidebar's Response multiselect, as a reader does: type, choose.

    (A bare click on the box only sometimes opens its list; typing always does.)
    """
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Response")
    box.click()
    box.press_sequentially(label)
    options = page.get_by_role("listbox", name="Response")
    options.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")
    expect(options).to_be_hidden()
    wait_for_run(page)


# -- 1. a shared link opens the view it describes ----------------------------------------------


def test_link_shows_the_duckdb_count(page: Page, db, expected) -> None:
    open_app(page, LAND_SUPPORTED_URL)

    expect(header(page)).to_have_text(expected(LAND_SUPPORTED))
    assert shown_count(page) == queries.count(db, LAND_SUPPORTED)
    expect_no_exception(page)


# -- 2. a sidebar filter changes the URL and the count -----------------------------------------


def test_sidebar_filter_updates_url_and_count(page: Page, db, expected) -> None:
    open_app(page, LAND_SUPPORTED_URL)
    before = shown_count(page)

    add_response(page, "Noted")

    widened = LAND_SUPPORTED.with_(responses=("noted", "supported"))
    expect(page).to_have_url(re.compile(r"[?&]response=noted\b"))
    assert url_params(page) == {"theme": ["land_housing"], "response": ["noted", "supported"]}
    expect(header(page)).to_have_text(expected(widened))
    assert shown_count(page) == queries.count(db, widened) != before
    expect_no_exception(page)


def test_search_text_updates_url_and_count(page: Page, expected) -> None:
    open_app(page, LAND_SUPPORTED_URL)

    search = page.get_by_test_id("stSidebar").get_by_role("textbox", name="Search the text")
    search.fill("housing")
    search.press("Enter")
    wait_for_run(page)

    expect(page).to_have_url(re.compile(r"[?&]q=housing\b"))
    expect(header(page)).to_have_text(expected(LAND_SUPPORTED.with_(text="housing")))
    expect_no_exception(page)


# -- 3. the rewritten URL reproduces the view in a fresh browser -------------------------------


def test_rewritten_link_reproduces_the_view(
    page: Page, new_context: Callable[..., BrowserContext], browser_problems: BrowserProblems
) -> None:
    open_app(page, LAND_SUPPORTED_URL)
    add_response(page, "Noted")
    expect(page).to_have_url(re.compile(r"[?&]response=noted\b"))
    link, seen = page.url, header(page).inner_text()

    fresh = browser_problems.watch(new_context()).new_page()
    open_app(fresh, link)

    expect(header(fresh)).to_have_text(seen)
    assert url_params(fresh) == url_params(page)
    sidebar = fresh.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
    tags = sidebar.filter(has_text="Response").locator("[data-tag]")
    expect(tags).to_have_text(["Noted", "Supported"])
    expect_no_exception(fresh)


# -- 4. a nonsense value is dropped with a note, never a traceback -----------------------------


def test_nonsense_value_is_dropped_with_a_note(page: Page, expected) -> None:
    open_app(page, "/explore?theme=nonsense&response=supported")

    note = page.get_by_test_id("stMain").get_by_test_id("stAlert")
    expect(note.filter(has_text="Ignored theme “nonsense”")).to_be_visible()
    expect(header(page)).to_have_text(expected(Filters(responses=("supported",))))
    expect(page).to_have_url(re.compile(r"/explore\?response=supported$"))
    expect_no_exception(page)


# -- 5. the map draws -------------------------------------------------------------------------


def test_states_map_draws_every_country_inside_the_page(page: Page) -> None:
    open_app(page, "/states")

    world = page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart").first
    drawing = world.locator("canvas, svg").first
    expect(drawing).to_be_visible()
    box = drawing.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box
    expect(page.get_by_role("button", name="Chart as PNG")).to_be_visible()  # and SVG
    expect_no_exception(page)
    screenshot(page, "states")


def test_a_charts_table_is_drawn_when_its_tab_is_opened(page: Page) -> None:
    open_app(page, "/themes")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stDataFrame")).to_have_count(0)  # no grid until asked for

    main.get_by_role("tab", name="Table").first.click()
    wait_for_run(page)
    grid = main.get_by_test_id("stDataFrame")
    expect(grid).to_have_count(1)
    expect(grid.locator("[role=gridcell]").first).to_be_attached()  # the cells, for screen readers
    expect_no_exception(page)


def test_the_server_reads_the_store_before_it_answers(app_server: StreamlitServer) -> None:
    # serve.py: the first reader after a restart does not wait for the store to load.
    said = re.search(r"Store read ahead: (.+), snapshot (\d+), in \d+\.\d s", app_server.output())
    assert said, app_server.output()
    assert said[1] == str(app_server.store)


# -- 6. every page loads; screenshots for a human ----------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_page_loads(page: Page, name: str) -> None:
    open_app(page, PAGES[name])

    expect_no_exception(page)
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()
    expect(header(page)).to_be_visible()
    for chart in page.get_by_test_id("stVegaLiteChart").all():
        if chart.is_visible():  # charts on a closed tab are not drawn
            expect(chart.locator("canvas, svg").first).to_be_visible()
    screenshot(page, name)


def screenshot(page: Page, name: str) -> None:
    """The viewport (1280x800) as test-results/screens/<name>.png, for a human to look at."""
    SCREENS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS_DIR / f"{name}.png")


# -- a shared link is the first visit after a restart ------------------------------------------


def test_deep_link_on_a_fresh_server(
    page: Page, start_server: Callable[[], StreamlitServer], expected
) -> None:
    """A link opened before anyone has loaded the app's root still gets the router.

    Regression: while the views lived in a folder named pages/, Streamlit treated them as its old
    auto-discovered pages until app.py had run once, so this link ran pages/explore.py on its own
    and failed with KeyError '_filters'. The session's server has already served other tests, so
    this one starts a server nobody has opened yet.
    """
    fresh = start_server()

    open_app(page, fresh.url + LAND_SUPPORTED_URL)

    expect_no_exception(page)
    expect(header(page)).to_have_text(expected(LAND_SUPPORTED))


# -- issue 17: the journeys tried for real -----------------------------------------------------

ROW_PX = 35  # height of a row (and of the header) in Streamlit's data grid


def main_text(page: Page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def ticked_rows(table: Locator) -> Locator:
    """The rows ticked in a data grid (its accessible table marks them `aria-selected`)."""
    return table.locator("tr[aria-selected=true]")


def tick_row(page: Page, table: Locator, row: int) -> None:
    """Tick data row `row` (0: the first) by clicking its checkbox, as a reader does."""
    box = table.bounding_box()
    assert box, "the table is not drawn"
    page.mouse.click(box["x"] + 18, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
    wait_for_run(page)


VIEWPORTS = {
    "1920x1080": {"width": 1920, "height": 1080},
    "1280x720": {"width": 1280, "height": 720},
    "390x844": {"width": 390, "height": 844},
}


def open_sidebar(page: Page) -> None:
    """On a phone the sidebar starts collapsed: open it as a reader does."""
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") == "true":
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_recommendation_in_full_shows_no_markup(page: Page, size: str) -> None:
    page.set_viewport_size(VIEWPORTS[size])
    open_app(page, "/explore?rec=KHM-2-118.32")

    detail = page.get_by_test_id("stMain")
    expect(detail.get_by_text("Tags and where they come from")).to_be_visible()
    expect(detail.get_by_text("From the tracker's classifier:").first).to_be_visible()
    text = main_text(page)
    assert not re.search(r"</?[a-z]+[^>]*>", text), re.findall(r"</?[a-z]+[^>]*>", text)
    assert "theme.land_housing" not in text and "\\:" not in text
    expect_no_exception(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_back_returns_to_the_previous_page_and_forward_again(page: Page, size: str) -> None:
    page.set_viewport_size(VIEWPORTS[size])
    open_app(page, "/states?state=DEU")
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("Recommending States")

    open_sidebar(page)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Explore").click()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/explore\?state=DEU$"))
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("Explore the recommendations")
    # On a phone the sidebar covers the page: choosing a page closes it, as Streamlit's menu does;
    # on wider screens it stays where it is.
    phone = VIEWPORTS[size]["width"] <= 768
    expect(page.get_by_test_id("stSidebar")).to_have_attribute(
        "data-collapsed", "true" if phone else "false"
    )

    page.go_back()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/states\?state=DEU$"))
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("Recommending States")

    page.go_forward()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/explore\?state=DEU$"))
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("Explore the recommendations")
    expect_no_exception(page)


def test_back_undoes_a_filter_change_back_to_no_filter(page: Page, expected) -> None:
    # Each filter change is a history entry; Back gives the view before it, widgets included,
    # even when that view had no filter at all (the address then holds none to read).
    open_app(page, "/explore")
    expect(header(page)).to_have_text(expected(Filters()))

    add_response(page, "Noted")
    expect(page).to_have_url(re.compile(r"/explore\?response=noted$"))
    expect(header(page)).to_have_text(expected(Filters(responses=("noted",))))

    page.go_back()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/explore$"))
    expect(header(page)).to_have_text(expected(Filters()))
    response = (
        page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has=page.get_by_role("combobox", name="Response"))
    )
    expect(response.get_by_text("Noted", exact=True)).to_have_count(0)

    page.go_forward()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/explore\?response=noted$"))
    expect(header(page)).to_have_text(expected(Filters(responses=("noted",))))
    expect(response.get_by_text("Noted", exact=True)).to_have_count(1)
    expect_no_exception(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_link_to_a_recommendation_ticks_its_row(page: Page, db, size: str) -> None:
    page.set_viewport_size(VIEWPORTS[size])
    ids = queries.recommendations(db, Filters())["rec_id"].tolist()
    rec = ids[4]
    open_app(page, f"/explore?rec={rec}")

    table = page.get_by_test_id("stDataFrame").first
    expect(ticked_rows(table)).to_have_count(1)
    expect(ticked_rows(table).first).to_contain_text(rec)
    heading = page.get_by_test_id("stMain").get_by_role("heading", name=re.compile(rec))
    expect(heading).to_be_visible()

    # ticking another row opens that one, in the link and the table
    tick_row(page, table, 1)
    expect(page).to_have_url(re.compile(rf"[?&]rec={re.escape(ids[1])}$"))
    table = page.get_by_test_id("stDataFrame").first
    expect(ticked_rows(table)).to_have_count(1)
    expect(ticked_rows(table).first).to_contain_text(ids[1])
    expect_no_exception(page)


def test_a_search_says_where_it_was_found(page: Page, db) -> None:
    from upr_data import search

    (hit,) = search.search(db, "Tep Vanny")
    open_app(page, "/explore")

    box = page.get_by_test_id("stSidebar").get_by_role("textbox", name="Search the text")
    box.fill("Tep Vanny")
    box.press("Enter")
    wait_for_run(page)

    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Where “Tep Vanny” was found")).to_be_visible()
    expect(main.get_by_text(hit.found)).to_be_visible()
    found = main.get_by_test_id("stDataFrame").first
    expect(found).to_be_visible()
    # a recommendation found through the evidence opens in full
    tick_row(page, found, 0)
    expect(page).to_have_url(re.compile(rf"[?&]rec={re.escape(hit.rec_ids[0])}\b"))
    expect(main.get_by_role("heading", name=re.compile(re.escape(hit.rec_ids[0])))).to_be_visible()
    expect_no_exception(page)


def test_a_search_found_only_in_the_evidence_leads_from_any_page_to_explore(page: Page, db) -> None:
    from upr_data import search

    (hit,) = search.search(db, "Tep Vanny")
    open_app(page, "/themes?q=Tep+Vanny")
    main = page.get_by_test_id("stMain")
    expect(
        main.get_by_text("No recommendation matches this selection", exact=False)
    ).to_be_visible()
    expect(main.get_by_text("Where “Tep Vanny” was found")).to_be_visible()
    expect(main.get_by_text(hit.found)).to_be_visible()

    main.get_by_role("link", name="Explore the recommendations").click()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/explore\?q=Tep\+Vanny$"))
    expect(main.get_by_test_id("stDataFrame").first).to_be_visible()  # what it leads to
    expect_no_exception(page)


def test_a_recurring_issue_opens_its_recommendations(page: Page) -> None:
    open_app(page, "/recurring?theme=nhri")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("ask for much the same thing")).to_be_visible()

    tick_row(page, main.get_by_test_id("stDataFrame").first, 0)

    expect(main.get_by_text("This issue's recommendations")).to_be_visible()
    expect(main.get_by_text("Tags and where they come from")).to_be_visible()
    expect_no_exception(page)


def test_the_evidence_chart_a_reader_picks_is_in_the_link_and_back_undoes_it(page: Page) -> None:
    # A view's own choice (which evidence chart) is shared by the link like the filters, and Back
    # returns to the chart before it.
    open_app(page, "/progress?theme=labour")
    main = page.get_by_test_id("stMain")
    chart = main.get_by_test_id("stVegaLiteChart").locator("svg").first
    expect(main.get_by_role("radio", name="over time")).to_be_checked()
    expect(chart).to_contain_text("Evidence over time")

    main.get_by_text("by theme, year by year").click()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/progress\?theme=labour&evidence_by=theme$"))
    expect(main.get_by_role("radio", name="by theme, year by year")).to_be_checked()
    expect(chart).to_contain_text("Evidence by theme and year")

    page.go_back()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/progress\?theme=labour$"))
    expect(main.get_by_role("radio", name="over time")).to_be_checked()
    expect(chart).to_contain_text("Evidence over time")
