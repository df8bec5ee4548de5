"""Sign-in with st.login against a real local OpenID Connect provider (oidc-provider-mock): an
editor whose provider verified the e-mail records an assessment and sees it on the Overview; a
signed-in viewer cannot write; nor can an account that claims the editor's e-mail unverified, or
one without an e-mail whose subject is the editor's address (issue 12). The audit names the
provider's subject and issuer. Last, hostile Markdown in a shared link stays text in the browser.

The provider lets a test set an account's claims (`PUT /users/<sub>` with a JSON body); a `sub`
typed on its page without that gets just `{"email": sub}`, with no `email_verified`."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser_support import (
    BUNDLED_STORE,
    SCREENS_DIR,
    StreamlitServer,
    free_port,
    open_app,
    wait_for_run,
)
from upr_data import queries, store
from upr_data.filters import Filters

pytestmark = pytest.mark.browser

EDITOR, VIEWER = "editor@example.org", "viewer@example.org"
EDITOR_SUB = "0001-editor"  # the editor's account at the provider


def as_shown(text: str) -> re.Pattern:
    """`text` as the page shows text from outside our code (ui.safe): an invisible word joiner
    after each "@" keeps Markdown from turning an address into a link."""
    return re.compile("".join(re.escape(c) + ("\u2060?" if c == "@" else "") for c in text))


def set_claims(provider: str, sub: str, claims: dict) -> None:
    """The claims the provider issues for the account `sub` (oidc-provider-mock's user API)."""
    request = urllib.request.Request(
        f"{provider}/users/{urllib.parse.quote(sub, safe='')}",
        data=json.dumps(claims).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 204


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
    store.replace_base(folder / "store", store.read_bundled(BUNDLED_STORE))
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


def sign_in(page: Page, base: str, sub: str) -> None:
    open_app(page, f"{base}/data")
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**")
    wait_for_run(page, debounce_ms=0)


def test_an_editor_records_an_assessment_and_sees_it(browser: Browser, browser_problems,
                                                      signed_server, provider) -> None:  # fmt: skip
    server, store_dir = signed_server
    set_claims(provider, EDITOR_SUB, {"email": EDITOR, "email_verified": True})
    assessed_before = queries.summary(queries.connect(store_dir), Filters())["assessed"]
    base = server.url.replace("127.0.0.1", "localhost")  # the redirect URI's host
    context = browser_problems.watch(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = context.new_page()
    sign_in(page, base, EDITOR_SUB)
    if "/data" not in page.url:
        open_app(page, f"{base}/data")
    expect(page.get_by_text(as_shown(f"Signed in as {EDITOR} (editor access)."))).to_be_visible()

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

    who = f"{EDITOR} (sub {EDITOR_SUB}, iss {provider})"
    rows = store.read_table(store_dir, "assessments").to_pylist()
    assert [(r["rec_id"], r["entered_by"]) for r in rows[-1:]] == [("KHM-2-118.1", who)]
    audit = store.read_table(store_dir, "audit").to_pylist()[-1]
    assert (audit["who"], audit["access"], audit["action"]) == (who, "editor", "add_assessment")

    open_app(page, f"{base}/")
    assessed = page.get_by_test_id("stMetric").filter(has_text="Assessed so far")
    now = queries.summary(queries.connect(store_dir), Filters())["assessed"]
    assert now == assessed_before + 1
    expect(assessed).to_contain_text(str(now))
    context.close()
    forgive_provider_styles(browser_problems)


def test_an_editor_records_a_plan_item_and_sees_it_on_the_plan_page(
    browser: Browser, browser_problems, signed_server, provider
) -> None:
    """Issue 15's journey: a SYNTHETIC plan item typed on the Data page, then found on /plan
    with its institution, due date and state, and counted as overdue."""
    server, store_dir = signed_server
    set_claims(provider, EDITOR_SUB, {"email": EDITOR, "email_verified": True})
    base = server.url.replace("127.0.0.1", "localhost")
    context = browser_problems.watch(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = context.new_page()
    sign_in(page, base, EDITOR_SUB)
    open_app(page, f"{base}/data")
    page.get_by_role("tab", name="Implementation plan").click()
    form = page.get_by_test_id("stForm").filter(has_text="Save the plan item")
    recs = form.get_by_role("combobox", name="Recommendations it implements")
    recs.click()
    recs.press_sequentially("KHM-1-82.7")
    page.get_by_role("option", name="KHM-1-82.7", exact=True).click()
    page.keyboard.press("Escape")
    form.get_by_label("Name of another responsible institution").fill("SYNTHETIC Ministry")
    form.get_by_label("Planned action").fill("SYNTHETIC: a browser-test action")
    form.get_by_label("Timeline", exact=False).fill("2025")
    form.get_by_role("button", name="Save the plan item").click()
    wait_for_run(page)
    expect(page.get_by_text("Saved as PLAN-")).to_be_visible()
    items = store.read_table(store_dir, "plan_items").to_pylist()
    assert [(r["rec_ids"], r["action"]) for r in items] == [
        ("KHM-1-82.7", "SYNTHETIC: a browser-test action")
    ]

    open_app(page, f"{base}/plan")
    expect(page.get_by_test_id("stMetric").filter(has_text="Overdue")).to_contain_text("1")
    # Short tables are shown whole, as plain tables (ui.common.table): the institution, and the
    # item under "Overdue", the first tab.
    cells = page.get_by_test_id("stTable").get_by_role("cell")
    expect(cells.filter(has_text="SYNTHETIC Ministry").first).to_be_visible()
    expect(cells.filter(has_text="SYNTHETIC: a browser-test action").first).to_be_visible()
    SCREENS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS_DIR / "plan-after-item.png"), full_page=True)
    institutions = (
        queries.connect(store_dir).execute("SELECT name_en, kind FROM institutions").fetchall()
    )
    assert institutions == [("SYNTHETIC Ministry", "ministry")]
    context.close()
    forgive_provider_styles(browser_problems)


def test_a_signed_in_viewer_cannot_write(browser: Browser, browser_problems, signed_server,
                                         provider):  # fmt: skip
    server, store_dir = signed_server
    set_claims(provider, VIEWER, {"email": VIEWER, "email_verified": True})
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


@pytest.mark.parametrize(
    ("sub", "claims", "says", "signed_in_as"),
    [
        # another account whose e-mail claim is the editor's, not verified by the provider
        ("attacker-sub", {"email": EDITOR, "email_verified": False},
         "Your sign-in provider does not confirm that this e-mail address belongs to your "
         "account", f"Signed in as {EDITOR} (viewer access)."),
        # the same with no email_verified claim at all (what the provider sends by default)
        ("attacker-2", {"email": EDITOR},
         "Your sign-in provider does not confirm that this e-mail address belongs to your "
         "account", f"Signed in as {EDITOR} (viewer access)."),
        # an account with no e-mail whose subject is the editor's address
        (EDITOR, {}, "Your sign-in provider gave no e-mail address for this account",
         f"Signed in as {EDITOR} (viewer access)."),
    ],
    ids=["unverified e-mail", "no email_verified claim", "sub is the address"],
)  # fmt: skip
def test_an_unverified_claim_to_an_editors_address_gets_no_write_access(
    browser: Browser, browser_problems, signed_server, provider, sub, claims, says, signed_in_as
):
    server, store_dir = signed_server
    set_claims(provider, sub, claims)
    base = server.url.replace("127.0.0.1", "localhost")
    before = store.version(store_dir)
    context = browser_problems.watch(browser.new_context())
    page = context.new_page()
    sign_in(page, base, sub)
    if "/data" not in page.url:
        open_app(page, f"{base}/data")
    expect(page.get_by_text(as_shown(signed_in_as))).to_be_visible()
    expect(page.get_by_text(says)).to_be_visible()
    expect(page.get_by_text("editor access")).to_have_count(0)
    expect(page.get_by_test_id("stForm")).to_have_count(0)
    expect(page.get_by_role("tab")).to_have_count(0)
    assert store.version(store_dir) == before
    context.close()
    forgive_provider_styles(browser_problems)


def test_data_page_without_sign_in_offers_it(page: Page, signed_server) -> None:
    server, _ = signed_server
    open_app(page, server.url.replace("127.0.0.1", "localhost") + "/data")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("stForm")).to_have_count(0)


# -- hostile Markdown in a shared link (issue 12, item 2) ------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "q=[Session expired: sign in again](http://evil.example/login)",
        "q=![x](http://evil.example/x.png)",
        "theme=![x](http://evil.example/t.png)&rec=![y](http://evil.example/r.png)",
        "q=<img src=http://evil.example/i.png>",
    ],
)
def test_markdown_in_a_shared_link_is_shown_as_text(page: Page, query: str) -> None:
    # Any request to evil.example (an image fetched) fails the test through browser_problems.
    open_app(page, f"/explore?{urllib.parse.quote(query, safe='=&')}")
    main = page.get_by_test_id("stMain")
    expect(main.locator("a[href*='evil.example']")).to_have_count(0)
    expect(main.locator("img[src*='evil.example']")).to_have_count(0)
    # The value is shown as typed (up to its address, where an invisible word joiner now sits).
    value = urllib.parse.unquote(query.split("&")[0].split("=", 1)[1])
    expect(main.get_by_text(value.split("http")[0], exact=False).first).to_be_visible()
