"""The presenter's and the phone participant's journeys: the slides on a projector and a phone.

At 1920x1080, 1280x720 (the usual projector) and 390x844 (a phone): after every control the
"Slide k of n" text, the slide's title and the link name the same slide of the same deck (the
deck comes from the package, on the same store copy the server reads); at 1280x720 a slide
fits without scrolling; at 390 px the Overview's chart fits the screen, charts' titles and
legends are whole and a slide's title wraps between words. Screenshots go to
test-results/screens/ for a human.
"""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from tests.e2e.browser_support import SCREENS_DIR, open_app, wait_for_run
from upr_data import queries, slides
from upr_data.filters import Filters

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
FULL_HD = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"1920x1080": FULL_HD, "1280x720": PROJECTOR, "390x844": PHONE}


@pytest.fixture(scope="module")
def decks(db) -> dict[str, list[str]]:
    """The slide titles of the whole store's deck by theme and by role, from the package."""
    return {by: [s.title for s in slides.build(db, Filters(), by)] for by in slides.BY}


def screenshot(page: Page, name: str) -> None:
    SCREENS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS_DIR / f"{name}.png")


def expect_slide(page: Page, decks: dict[str, list[str]], by: str, k: int) -> None:
    """The page shows slide k of the deck by `by`, and the link says so."""
    deck = decks[by]
    expect(page.locator(".slide-count")).to_have_text(f"Slide {k} of {len(deck)}")
    expect(page.locator(".slide h1")).to_have_text(deck[k - 1])
    params = parse_qs(urlsplit(page.url).query)
    assert (params.get("by"), params.get("slide")) == ([by], [str(k)]), page.url
    expect(page.get_by_test_id("stException")).to_have_count(0)


def press(page: Page, name: str) -> None:
    page.get_by_test_id("stMain").get_by_role("button", name=name).click()
    wait_for_run(page)


def slides_by(page: Page, label: str) -> None:
    page.get_by_test_id("stButtonGroup").get_by_role("radio", name=label, exact=True).click()
    wait_for_run(page)


def inside_viewport(page: Page, target: Locator, what: str) -> None:
    """`target` is drawn within the viewport as it is (no scrolling)."""
    box = target.bounding_box()
    size = page.viewport_size
    assert box is not None, f"{what} is not drawn"
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], (what, box, size)
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], (what, box, size)


def chart_marks(page: Page) -> Locator:
    """The drawing of the (first) Vega-Lite chart in the main area: its canvas or SVG."""
    chart = page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart").first
    return chart.locator("canvas, svg.marks").first


@pytest.mark.parametrize("size", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_every_control_shows_the_slide_the_link_names(page: Page, decks, size) -> None:
    page.set_viewport_size(size)
    # A deep link into the theme deck, then the other deck: its first slide, not slide 5.
    open_app(page, "/present?by=theme&slide=5")
    expect_slide(page, decks, "theme", 5)
    slides_by(page, "stakeholder role")
    expect_slide(page, decks, "role", 1)
    press(page, "Next ▶")
    expect_slide(page, decks, "role", 2)
    press(page, "Next ▶")
    expect_slide(page, decks, "role", 3)
    press(page, "◀ Previous")
    expect_slide(page, decks, "role", 2)
    slides_by(page, "theme")
    expect_slide(page, decks, "theme", 1)
    press(page, "Next ▶")
    expect_slide(page, decks, "theme", 2)
    press(page, "◀ Previous")
    expect_slide(page, decks, "theme", 1)
    # The last slide: Next is disabled, and it is the last theme of the store.
    open_app(page, f"/present?by=theme&slide={len(decks['theme'])}")
    expect_slide(page, decks, "theme", len(decks["theme"]))
    expect(page.get_by_role("button", name="Next ▶")).to_be_disabled()
    screenshot(page, f"present-last-{size['width']}x{size['height']}")


@pytest.mark.parametrize("size", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_the_presenter_sees_no_app_chrome(page: Page, size) -> None:
    page.set_viewport_size(size)
    open_app(page, "/present?by=theme&slide=5")
    expect(page.locator(".slide h1")).to_be_visible()
    # The sidebar is collapsed, the toolbar has no Deploy button, no developer options.
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
    page.get_by_test_id("stMainMenu").click()  # the viewer's menu: print, record the screen
    menu = page.get_by_test_id("stMainMenuList")
    expect(menu).to_contain_text("Print")
    for developer_item in ("Rerun", "Clear cache", "Settings", "Developer"):
        expect(menu.get_by_text(developer_item)).to_have_count(0)
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    # No selection header above the slide (the first slide says the selection).
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("recommendations, all shown")).to_have_count(0)
    # PNG and SVG of the slide's chart, as on every other page.
    expect(main.get_by_role("button", name="Chart as PNG")).to_be_visible()
    expect(main.get_by_role("button", name="Chart as SVG")).to_be_visible()
    screenshot(page, f"present-theme-5-{size['width']}x{size['height']}")


@pytest.mark.parametrize(
    "link", ["/present", "/present?by=theme&slide=5", "/present?by=role&slide=3"]
)
def test_a_slide_fits_the_projector(page: Page, db, link) -> None:
    missing = slides.missing_note(queries.coverage(db, queries.reviewed_state(db, Filters())))
    assert missing.startswith("Not counted here (not loaded): cycle 3 ")  # the bundled store
    page.set_viewport_size(PROJECTOR)
    open_app(page, link)
    inside_viewport(page, page.locator(".slide h1"), "the title")
    figures = page.locator(".slide .figure")
    for i in range(figures.count()):
        inside_viewport(page, figures.nth(i), f"figure {i + 1}")
    tops = {round(figures.nth(i).bounding_box()["y"]) for i in range(figures.count())}
    assert len(tops) == 1, f"the figures wrap onto {len(tops)} rows"
    expect(chart_marks(page)).to_be_visible()
    inside_viewport(page, chart_marks(page), "the chart")
    # The cycles the figures do not count are said on the slide, in view.
    expect(page.locator(".slide .missing")).to_have_text(missing)
    inside_viewport(page, page.locator(".slide .missing"), "the cycles not counted")
    name = link.split("?")[-1].replace("&", "-").replace("=", "") if "?" in link else "first"
    screenshot(page, f"present-1280x720-{name}")


def test_the_overview_chart_fits_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    open_app(page, "/")
    marks = chart_marks(page)
    expect(marks).to_be_visible()
    marks.scroll_into_view_if_needed()  # below the figures: scrolling down is what a reader does
    box = marks.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    # The bars are drawn on the screen, not only the theme labels: the part of the chart inside
    # the viewport holds bars' blue (#0072B2) over more than a legend's swatch.
    visible = {
        "x": box["x"],
        "y": box["y"],
        "width": min(box["width"], PHONE["width"] - box["x"]),
        "height": min(box["height"], PHONE["height"] - box["y"]),
    }
    pixels = np.asarray(Image.open(io.BytesIO(page.screenshot(clip=visible))).convert("RGB"))
    blue = (np.abs(pixels.astype(int) - (0x00, 0x72, 0xB2)).sum(axis=2) < 40).sum()
    assert blue > 3000, f"only {blue} pixels of the bars' blue on the phone's screen"
    screenshot(page, "overview-390x844")


def test_a_table_wider_than_a_phone_scrolls_from_the_keyboard(page: Page) -> None:
    # The Overview's coverage table is a plain table (every cell whole), eight columns wide.
    page.set_viewport_size(PHONE)
    open_app(page, "/")
    coverage = page.get_by_test_id("stTable").filter(has_text="Official total")
    cell = coverage.get_by_role("cell", name="loaded, matches the official total").first
    expect(cell).to_be_attached()  # the status in full, not cut short
    box = coverage.locator("table").locator("xpath=..")
    assert box.evaluate("(b) => b.scrollWidth > b.clientWidth")  # wider than the phone
    # A tab stop in every browser (Chromium also focuses a scroll box without one; Safari and
    # axe-core do not), from which the arrow keys scroll it.
    expect(box).to_have_attribute("tabindex", "0")
    box.focus()
    expect(box).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(b) => b.scrollLeft > 0", arg=box.element_handle())
    screenshot(page, "overview-390x844-coverage")


# Every page whose charts have long titles, subtitles or legends (the Overview's, the Themes'
# heatmaps', the map's, the evidence timeline's, the calendar's).
@pytest.mark.parametrize("path", ["/", "/themes", "/states", "/progress", "/plan"])
def test_chart_titles_and_legends_are_whole_on_a_phone(page: Page, path: str) -> None:
    page.set_viewport_size(PHONE)
    open_app(page, path)
    charts = page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart")
    expect(charts.first.locator("svg.marks")).to_be_visible()
    # Vega draws a text too wide for its limit cut short with "…" (a title of several lines is
    # one <text> with a <tspan> a line); a legend's row of entries can run off the chart.
    texts = charts.locator(
        ".role-title-text text, .role-title-subtitle text, .role-legend-title text,"
        " .role-legend-label text"
    ).evaluate_all("(texts) => texts.map((t) => [t.textContent, t.getBoundingClientRect().right])")
    assert len(texts) >= 2, texts  # a title and a subtitle at least
    cut = [text for text, right in texts if "…" in text or right > PHONE["width"]]
    assert cut == [], f"{path}: cut or off the screen: {cut}"


def test_a_slide_title_wraps_between_words_on_a_phone(page: Page, decks) -> None:
    page.set_viewport_size(PHONE)
    open_app(page, "/present")
    title = page.locator(".slide h1")
    expect(title).to_have_text(decks["theme"][0])
    # Every word of the title is drawn on one line (a word broken in two has two boxes), and
    # nothing sticks out of the title's box.
    broken = title.evaluate(
        """(h1) => {
            const broken = [], walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
            for (let text = walker.nextNode(); text; text = walker.nextNode()) {
                for (const m of text.textContent.matchAll(/\\S+/g)) {
                    const range = document.createRange();
                    range.setStart(text, m.index);
                    range.setEnd(text, m.index + m[0].length);
                    const tops = [...range.getClientRects()].map((r) => Math.round(r.top));
                    if (new Set(tops).size > 1) broken.push(m[0]);
                }
            }
            return {broken, overflow: h1.scrollWidth > h1.clientWidth};
        }"""
    )
    assert broken == {"broken": [], "overflow": False}, broken
    screenshot(page, "present-390x844")


def test_back_leaves_the_slides_for_the_page_before(page: Page) -> None:
    # The slides write no default (deck, slide 1) into the link: that would be a history entry
    # Back lands on, which would write it again.
    page.set_viewport_size(PROJECTOR)
    open_app(page, "/?theme=land_housing")
    page.get_by_test_id("stSidebar").get_by_role("link", name="Present").click()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/present\?theme=land_housing$"))
    expect(page.locator(".slide-count")).to_have_text(re.compile(r"^Slide 1 of \d+$"))

    page.go_back()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/\?theme=land_housing$"))
    expect(page.locator(".slide-count")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
