"""Sign-in with st.login against a real local OpenID Connect provider (oidc-provider-mock): an
editor records an assessment and sees it on the Overview; a signed-in viewer cannot write."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser_support import (
    BUNDLED_STORE,
    StreamlitServer,
    free_port,
    open_app,
    wait_for_run,
)
from upr_data import queries, store
from upr_data.filters import Filters

pytestmark = pytest.mark.browser

EDITOR, VIEWER = "editor@example.org", "viewer@example.org"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("oidc-provider-mock did not start", False)
            time.sleep(0.2)
    yield url
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def signed_server(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """A server with sign-in configured, on a store copy of its own (these tests write)."""
    folder = tmp_path_factory.mktemp("signin")
    shutil.copytree(BUNDLED_STORE, folder / "store", ignore=shutil.ignore_patterns(".lock"))
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        f"""[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "test-only-cookie-secret-0123456789abcdef"
client_id = "upr-tracker"
client_secret = "test-only"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[access]
editors = ["{EDITOR}"]
"""
    )
    server = StreamlitServer(folder / "store", folder / "streamlit.log", port=port,
                             extra_args=["--secrets.files", str(secrets)]).start()  # fmt: skip
    yield server, folder / "store"
    server.stop()


PROVIDER_STYLES = "cdn.jsdelivr.net/npm/@picocss"


def forgive_provider_styles(problems) -> None:
    """The mock provider's own sign-in page links a stylesheet on a CDN (blocked here). That page
    is the test double's, not the app's: drop just those reports, keep every other one."""
    problems.found[:] = [p for p in problems.found if PROVIDER_STYLES not in p]


def sign_in(page: Page, base: str, email: str) -> None:
    open_app(page, f"{base}/data")
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**")
    wait_for_run(page, debounce_ms=0)


def test_an_editor_records_an_assessment_and_sees_it(browser: Browser, browser_problems,
                                                      signed_server) -> None:  # fmt: skip
    server, store_dir = signed_server
    base = server.url.replace("127.0.0.1", "localhost")  # the redirect URI's host
    context = browser_problems.watch(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = context.new_page()
    sign_in(page, base, EDITOR)
    if "/data" not in page.url:
        open_app(page, f"{base}/data")
    expect(page.get_by_text(f"Signed in as {EDITOR} (editor access).")).to_be_visible()

    form = page.get_by_test_id("stForm").first
    rec = form.get_by_role("combobox", name="Recommendation")
    rec.click()
    rec.press_sequentially("KHM-2-118.1")
    page.get_by_role("option", name="KHM-2-118.1", exact=True).click()
    form.get_by_label("Organisation").fill("SYNTHETIC test CSO")
    form.get_by_label("Rationale").fill("SYNTHETIC browser test")
    form.get_by_role("button", name="Save the assessment").click()
    wait_for_run(page)
    expect(page.get_by_text("Saved as A-")).to_be_visible()

    rows = store.read_table(store_dir, "assessments").to_pylist()
    assert [(r["rec_id"], r["entered_by"]) for r in rows] == [("KHM-2-118.1", EDITOR)]
    assert store.read_table(store_dir, "audit").to_pylist()[0]["who"] == EDITOR

    open_app(page, f"{base}/")
    assessed = page.get_by_test_id("stMetric").filter(has_text="Assessed so far")
    expect(assessed).to_contain_text("1")
    assert queries.summary(queries.connect(store_dir), Filters())["assessed"] == 1
    context.close()
    forgive_provider_styles(browser_problems)


def test_a_signed_in_viewer_cannot_write(browser: Browser, browser_problems, signed_server):
    server, store_dir = signed_server
    base = server.url.replace("127.0.0.1", "localhost")
    before = store.version(store_dir)
    context = browser_problems.watch(browser.new_context())
    page = context.new_page()
    sign_in(page, base, VIEWER)
    if "/data" not in page.url:
        open_app(page, f"{base}/data")
    expect(page.get_by_text("Your account can read but not change the data.")).to_be_visible()
    expect(page.get_by_test_id("stForm")).to_have_count(0)
    assert store.version(store_dir) == before
    context.close()
    forgive_provider_styles(browser_problems)


def test_data_page_without_sign_in_offers_it(page: Page, signed_server) -> None:
    server, _ = signed_server
    open_app(page, server.url.replace("127.0.0.1", "localhost") + "/data")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("stForm")).to_have_count(0)
