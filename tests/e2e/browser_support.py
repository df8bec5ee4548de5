"""What the browser tests share: the Streamlit server, waiting for a run, the problem watcher.

Modelled on streamlit/streamlit's `e2e_playwright/conftest.py`: start a real server on a free
port, wait for `/_stcore/health`, and after every navigation or interaction wait until the app
says its script run is over (`data-test-script-state="notRunning"` on the `stApp` element)
instead of sleeping. The fixtures that use these live in `conftest.py`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route, WebError, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
BUNDLED_STORE = REPO_ROOT / "data" / "store"
SCREENS_DIR = REPO_ROOT / "test-results" / "screens"  # gitignored; the lead looks at them

CHROMIUM = Path("/usr/bin/chromium")  # Playwright cannot download its own browsers here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
# Every page of app.py's st.navigation, by the path a link opens (the default page is served at
# / only): the accessibility scans and bench/first_visit.py both go through this list.
PAGE_PATHS = {
    "overview": "/",
    "explore": "/explore",
    "themes": "/themes",
    "stakeholders": "/stakeholders",
    "states": "/states",
    "progress": "/progress",
    "recurring": "/recurring",
    "plan": "/plan",
    "present": "/present",
    "data": "/data",
}

SERVER_START_TIMEOUT_S = 60
RUN_TIMEOUT_MS = 25_000
# Streamlit debounces some widget updates (~200 ms) before a rerun starts, so right after an
# interaction the app can still show the previous run as finished.
DEBOUNCE_MS = 210


# -- the server --------------------------------------------------------------------------------


@dataclass
class StreamlitServer:
    """`streamlit run serve.py` (the README's command) from the repository root (or from `root`,
    another checkout: bench/first_visit.py --against), in its own process group."""

    store: Path
    log_path: Path
    port: int = 0  # 0: pick a free one
    extra_args: list[str] = field(default_factory=list)
    root: Path = REPO_ROOT
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> StreamlitServer:
        """Start the server on a free port and wait until it is healthy (or fail with its log)."""
        self.port = self.port or free_port()
        command = [
            sys.executable, "-m", "streamlit", "run", "serve.py",
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            *self.extra_args,
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                env={**os.environ, "UPR_LAKE": str(self.store)},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own: stop() leaves nothing behind
            )
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not self._healthy():
            exited = self.process.poll() is not None
            if exited or time.monotonic() > deadline:
                self.stop()
                why = (
                    f"exited with code {self.process.returncode}"
                    if exited
                    else f"was not healthy after {SERVER_START_TIMEOUT_S} s"
                )
                pytest.fail(f"The Streamlit server {why}. Its output:\n{self.output()}", False)
            time.sleep(0.25)
        return self

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as response:
                return response.status == 200 and response.read().strip() == b"ok"
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        """Terminate the server's process group (kill it if it lingers)."""
        if self.process is None or self.process.poll() is not None:
            return
        group = self.process.pid  # start_new_session: the group id is the server's own pid
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- waiting for the app -----------------------------------------------------------------------


def wait_for_run(page: Page, *, debounce_ms: int = DEBOUNCE_MS, settle_ms: int = 100) -> None:
    """Wait until the app is connected, its script run is over and every element has rendered.

    Call it after an interaction (the default waits out the widget debounce first) and assert
    with `expect(...)`, which retries, rather than reading the page once.
    """
    if debounce_ms:
        page.wait_for_timeout(debounce_ms)
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=RUN_TIMEOUT_MS)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=RUN_TIMEOUT_MS)
    if settle_ms:
        page.wait_for_timeout(settle_ms)  # let the last delta paint


def open_app(page: Page, path: str) -> None:
    """Load `path` (relative to the base URL, or absolute) and wait for the first run."""
    page.goto(path)
    wait_for_run(page, debounce_ms=0)


# -- no console errors, no page errors, no requests off the machine ----------------------------


@dataclass
class BrowserProblems:
    """Collects console errors, uncaught page errors and blocked external requests."""

    found: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> BrowserContext:
        context.on("console", self._on_console)
        context.on("weberror", self._on_page_error)
        # The app must work offline: anything addressed beyond this machine is blocked and
        # reported (Streamlit itself is started with usage statistics off).
        context.route(self._leaves_the_machine, self._block)
        return context

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.found.append(f"console error: {message.text} (at {message.location['url']})")

    def _on_page_error(self, error: WebError) -> None:
        self.found.append(f"page error: {error.error}")

    @staticmethod
    def _leaves_the_machine(url: str) -> bool:
        parts = urlsplit(url)
        local = parts.hostname in ("127.0.0.1", "localhost")
        return parts.scheme in ("http", "https", "ws", "wss") and not local

    def _block(self, route: Route) -> None:
        self.found.append(f"request off the machine: {route.request.url}")
        route.abort()
