"""The server's edge as a browser meets it (serve.py's middleware, asgi/): a page opened at its
own address connects to the app's root at once, with no guess at a server under the page."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Page, expect

from asgi.base_path import HINT
from tests.e2e.browser_support import open_app

NAVIGATION = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Encoding": "gzip"}


def test_a_page_opened_at_its_address_asks_only_the_apps_root_for_the_server(page: Page):
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    open_app(page, "/states?state=DEU")

    expect(page.get_by_role("heading", level=1)).to_have_text("Recommending States")
    assert "/_stcore/health" in asked
    # Without the hint Streamlit first tries /states/_stcore/health, which is a 404, waits and
    # tries again at the root (about 0.12 s of every first visit but the Overview's).
    assert [path for path in asked if path.startswith("/states/")] == []


def test_streamlits_own_page_carries_the_hint_at_a_pages_address_only(base_url: str):
    with httpx.Client(base_url=base_url) as client:
        states = client.get("/states", headers=NAVIGATION)
        root = client.get("/", headers=NAVIGATION)
    assert states.status_code == root.status_code == 200
    assert HINT.decode() in states.text
    assert states.text.index(HINT.decode()) < states.text.index('<script type="module"')
    assert HINT.decode() not in root.text
    assert states.text.replace(HINT.decode(), "") == root.text  # the same page otherwise
