"""Two app servers (two processes) on one shared lake: PostgreSQL catalog, S3 data files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from tests import lake_servers, layouts
from upr_data import store
from upr_data.settings import REPO_ROOT


def _serve(port: int, lake: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    env = {**os.environ, "UPR_LAKE": lake}
    return subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _count_on(page, url: str) -> int:
    page.goto(url)
    header = page.get_by_text(re.compile(r"^\d+ recommendations")).first
    header.wait_for(timeout=30_000)
    return int(header.inner_text().split()[0])


@pytest.mark.browser
def test_two_app_servers_on_one_lake_see_each_others_writes(shared_lake, tmp_path, page):
    """Server A and server B (two processes) on one lake; an import lands; both show it."""
    store.replace_base(shared_lake, store.read_bundled())
    ports = [lake_servers.free_port(), lake_servers.free_port()]
    apps = [_serve(p, shared_lake) for p in ports]
    try:
        for port in ports:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                    break
                except OSError:
                    assert time.monotonic() < deadline, f"server on {port} did not start"
                    time.sleep(0.5)
        urls = [f"http://127.0.0.1:{p}/explore" for p in ports]
        assert [_count_on(page, u) for u in urls] == [296, 296]
        path = layouts.write_xls(tmp_path / "svn.xls", layouts.synthetic_rows("Slovenia", 34.0))
        written = subprocess.run(
            [sys.executable, "-m", "upr_data", "import", str(path), "--yes",
             "--store", shared_lake],
            cwd=REPO_ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert written.returncode == 0, written.stderr
        # Two States under review now: each server offers the choice and shows Slovenia's six.
        for url in urls:
            assert _count_on(page, url + "?sur=SVN") == 6
    finally:
        for app in apps:
            app.terminate()
            app.wait(20)
