"""What users take away: the embassy brief (PDF), the filtered table (Excel), and slides."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.browser_support import open_app, wait_for_run
from upr_data import queries
from upr_data.filters import Filters

pytestmark = pytest.mark.browser


def test_download_the_embassy_brief(page: Page, db) -> None:
    open_app(page, "/states?state=DEU")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Brief for bilateral dialogue: Germany (PDF)").click()
    download = info.value
    assert download.suggested_filename == "upr-brief-DEU.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)
    expected = queries.recommendations(db, Filters(states=("DEU",)))
    assert len(expected) > 0
    for paragraph in expected["paragraph"]:
        assert paragraph in text
    assert "Recommendations of Germany to Cambodia" in text


def test_download_the_selection_as_excel(page: Page, db) -> None:
    open_app(page, "/explore?theme=land_housing&response=supported")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download Excel").click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    rows = list(book["Recommendations"].iter_rows(values_only=True))
    f = Filters(themes=("land_housing",), responses=("supported",))
    assert len(rows) - 1 == queries.count(db, f)


def test_step_through_three_slides(page: Page) -> None:
    open_app(page, "/present?cycle=2")
    count = page.locator(".slide-count")
    expect(count).to_contain_text("Slide 1 of")
    for number in (2, 3, 4):
        page.get_by_role("button", name="Next ▶").click()
        wait_for_run(page)
        expect(count).to_contain_text(f"Slide {number} of")
        assert f"slide={number}" in page.url
    page.get_by_role("button", name="◀ Previous").click()
    wait_for_run(page)
    expect(count).to_contain_text("Slide 3 of")
    page.screenshot(path="test-results/screens/present.png")
