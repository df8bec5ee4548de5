"""A Khmer reader's journey: switch the language in the sidebar, filter, open the slides.

The page's Khmer must come from the bundled web font (served from `static/`, declared in
`.streamlit/config.toml`), not from whatever fonts the machine has; the URL keeps `lang=km`
through the filter and the page switch, and Back retraces each step. A screenshot of the Khmer
slides is kept for a human.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_support import REPO_ROOT, open_app, wait_for_run
from upr_data import i18n

pytestmark = pytest.mark.browser

KHMER = re.compile(r"[\u1780-\u17ff]")
FONT = "Noto Sans Khmer"


def km(message: str) -> str:
    return i18n.translate(message, "km")


def url_params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def khmer_font_loaded(page: Page) -> bool:
    """Whether the page loaded the bundled Noto Sans Khmer face (a FontFace of the document,
    not a system font)."""
    return page.evaluate(
        """(family) => document.fonts.ready.then(() => [...document.fonts].some(
               (f) => f.family.replaceAll('"', '') === family && f.status === 'loaded'))""",
        FONT,
    )


def keep_screenshot(page: Page, tmp_path: Path, name: str) -> Path:
    """The viewport as <tmp>/<name>.png; under CI also in test-results/ (kept as artifacts)."""
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=shot)
    if os.environ.get("CI"):
        results = REPO_ROOT / "test-results"
        results.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, results / shot.name)
    return shot


def test_a_khmer_reader_filters_and_presents(page: Page, tmp_path: Path) -> None:
    # A filter chosen in English, which the switch keeps (the widgets showed English labels).
    open_app(page, "/?theme=land_housing")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("heading", name="Filters")).to_be_visible()

    # 1. The language switch in the sidebar.
    sidebar.get_by_text(i18n.LANGUAGE_NAMES["km"], exact=True).click()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"[?&]lang=km\b"))
    assert url_params(page) == {"theme": ["land_housing"], "lang": ["km"]}
    expect(sidebar.get_by_role("heading", name=km("Filters"))).to_be_visible()
    expect(
        sidebar.get_by_text(km("Recommendations are shown in their official English text."))
    ).to_be_visible()

    # 2. A filter, chosen by its Khmer label.
    box = sidebar.get_by_role("combobox", name=km("response"))
    box.click()
    box.press_sequentially(km("Noted"))
    page.get_by_role("listbox", name=km("response")).get_by_role(
        "option", name=km("Noted"), exact=True
    ).click()
    page.keyboard.press("Escape")
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"[?&]response=noted\b"))
    assert url_params(page)["lang"] == ["km"]

    # 3. The slides, through the sidebar's navigation.
    sidebar.get_by_role("link", name=km("Present")).click()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/present\?"))
    params = url_params(page)
    assert {k: v for k, v in params.items() if k not in ("by", "slide")} == {
        "theme": ["land_housing"],
        "response": ["noted"],
        "lang": ["km"],
    }, params
    title = page.locator(".slide h1")
    expect(title).to_be_visible()
    assert KHMER.search(title.inner_text()), title.inner_text()
    expect(page.locator(".slide .figure .label").first).to_have_text(km("Recommendations"))
    expect(page.get_by_test_id("stException")).to_have_count(0)

    # The Khmer is drawn in the bundled font, with Latin in Streamlit's own.
    assert khmer_font_loaded(page), "Noto Sans Khmer was not loaded from static/"
    family = title.evaluate("(e) => getComputedStyle(e).fontFamily")
    families = [f.strip().strip('"') for f in family.split(",")]
    assert families[0] == FONT and "Source Sans" in families, family
    response = page.request.get("/app/static/NotoSansKhmer-khmer-400.woff2")
    assert response.ok and len(response.body()) > 10_000

    shot = keep_screenshot(page, tmp_path, "khmer-slides")
    assert shot.stat().st_size > 20_000

    # 4. Back retraces the steps: the page switch, the filter, then the language switch.
    page.go_back()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/\?(?=.*lang=km)(?=.*response=noted)"))
    page.go_back()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/\?(?=.*lang=km)(?!.*response)"))
    expect(sidebar.get_by_role("heading", name=km("Filters"))).to_be_visible()
    page.go_back()
    wait_for_run(page)
    expect(page).to_have_url(re.compile(r"/\?theme=land_housing$"))
    expect(sidebar.get_by_role("heading", name="Filters")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
