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
# The overview is the default page, which Streamlit serves at / only (/overview would open its
# "Page not found" dialog and log a console error).
# The states page (the slowest to draw) is loaded, checked and photographed by the map test.
PAGES = {
    "overview": "/",
    "explore": "/explore",
    "themes": "/themes",
    "stakeholders": "/stakeholders",
    "progress": "/progress",
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


def test_states_map_renders_a_canvas(page: Page) -> None:
    open_app(page, "/states")

    canvas = page.get_by_test_id("stDeckGlJsonChart").locator("canvas").first
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300, box
    expect_no_exception(page)
    screenshot(page, "states")


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
