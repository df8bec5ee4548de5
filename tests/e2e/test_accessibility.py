"""Accessibility: an axe-core scan of every page at a desktop, a projector and a phone viewport.

The dashboard is projected to whole rooms and opened on phones, so it is held to WCAG 2.1 AA: no
violation axe-core rates serious or critical, and headings that do not skip a level (axe rates
`heading-order` moderate; screen-reader users navigate by headings, so it is held here too).
Every page is also photographed whole under test-results/screens/ for a human to look at (CI keeps
that folder).

axe-core comes with axe-playwright-python (requirements-dev.txt), injected into the page; the scan
runs once the app's run is over and its charts and map are drawn.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.browser_support import PAGE_PATHS, SCREENS_DIR, open_app

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "1920x1080": {"width": 1920, "height": 1080},  # a desktop
    "1280x720": {"width": 1280, "height": 720},  # a projector
    "390x844": {"width": 390, "height": 844},  # a phone
}
PAGES = {
    **PAGE_PATHS,
    # The Khmer interface: other text lengths, the Khmer font, translated headings.
    "overview-km": "/?lang=km",
    "explore-km": "/explore?lang=km",
    "states-km": "/states?lang=km",
    "plan-km": "/plan?lang=km",
}
# Views that need a value from the store: {name: (path template, query)}.
CHOSEN = {
    # One recommendation open in Explore: the one with the most linked evidence, so the detail
    # shows its assessments and evidence too.
    "explore-detail": (
        "/explore?rec={}",
        "SELECT rec_id FROM recommendations"
        " ORDER BY n_evidence DESC, assessed DESC, rec_id LIMIT 1",
    ),
    # One State chosen on the map page: the one with the most recommendations (list and brief).
    "states-chosen": (
        "/states?state={}",
        "SELECT state_iso3 FROM recommendation_states GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    ),
}
# What is held against the pages: serious and critical violations, and skipped heading levels.
FAILING_IMPACTS = {"serious", "critical"}
ALSO_FAILING = {"heading-order"}

AXE = Axe()


@pytest.fixture(params=VIEWPORTS)
def viewport(request: pytest.FixtureRequest, page: Page) -> str:
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


@pytest.mark.parametrize("name", [*PAGES, *CHOSEN])
def test_page_has_no_serious_accessibility_violation(
    page: Page, viewport: str, name: str, db
) -> None:
    if name in PAGES:
        path = PAGES[name]
    else:
        template, sql = CHOSEN[name]
        path = template.format(db.execute(sql).fetchone()[0])
    open_app(page, path)
    wait_for_drawings(page)

    results = AXE.run(page)
    screenshot_whole(page, f"{name}-{viewport}")

    failing = [
        v
        for v in results.response["violations"]
        if v["impact"] in FAILING_IMPACTS or v["id"] in ALSO_FAILING
    ]
    assert not failing, f"axe-core on {path} at {viewport}:\n" + describe(failing)


def wait_for_drawings(page: Page) -> None:
    """Charts (the map is one) draw after the run is over: scan and photograph them drawn."""
    for chart in page.get_by_test_id("stVegaLiteChart").all():
        if chart.is_visible():  # charts on a closed tab are not drawn
            expect(chart.locator("canvas, svg").first).to_be_visible()


def describe(violations: list[dict]) -> str:
    """Each violation's id, impact and help, and the elements it was found on."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"][:8]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def screenshot_whole(page: Page, name: str) -> None:
    """The whole page as test-results/screens/<name>.png.

    Streamlit scrolls its main area inside the window, so a "full page" screenshot alone would
    stop at the window's height: the window is made as tall as the content for the shot.
    """
    SCREENS_DIR.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    assert size is not None
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
            ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
            .map((e) => e.scrollHeight))"""  # noqa: E501
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    try:
        page.screenshot(path=SCREENS_DIR / f"{name}.png", full_page=True)
    finally:
        page.set_viewport_size(size)
