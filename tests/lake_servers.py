"""Real servers for the shared lake, started on 127.0.0.1 by the tests themselves: PostgreSQL (for
the catalog, from Debian's packages) and moto's S3-compatible server (for the data files).

Without them the tests that need them are skipped with the reason, except in CI (`CI=true`),
where `.ci/run` installs them and a missing server is a failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_USER = "upr-pg"  # PostgreSQL refuses to run as root: its server runs as this user


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}: .ci/run must install it")
    pytest.skip(f"{what} (install it to run this test)")


@dataclass
class Postgres:
    port: int
    folder: Path

    def dsn(self, database: str = "postgres") -> str:
        return f"dbname={database} host=127.0.0.1 port={self.port} user=upr"

    def create_database(self) -> str:
        name = f"lake_{uuid.uuid4().hex[:10]}"
        bindir = Path(glob.glob("/usr/lib/postgresql/*/bin/createdb")[0]).parent
        subprocess.run(
            [bindir / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "upr", name],
            check=True,
            capture_output=True,
        )
        return name


@contextmanager
def postgres():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        _missing("PostgreSQL is not installed (Debian package postgresql)")
    bindir = Path(found[-1]).parent
    as_user: list[str] = []
    if os.geteuid() == 0:
        if subprocess.run(["id", PG_USER], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "--system", "--no-create-home", PG_USER], check=True)
        as_user = ["runuser", "-u", PG_USER, "--"]
    # Its own folder under /tmp: pytest's are private to root, and the server's user must enter.
    folder = Path(tempfile.mkdtemp(prefix="upr-pg-"))
    os.chmod(folder, 0o755)
    if as_user:
        shutil.chown(folder, PG_USER)
    port = free_port()
    subprocess.run(
        [*as_user, bindir / "initdb", "-D", folder / "db", "-A", "trust", "-U", "upr"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(
        [*as_user, bindir / "pg_ctl", "-D", folder / "db", "-o", options, "-l",
         folder / "log", "-w", "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        _wait_port(port)
        yield Postgres(port, folder)
    finally:
        subprocess.run(
            [*as_user, bindir / "pg_ctl", "-D", folder / "db", "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class S3:
    port: int

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def create_bucket(self) -> str:

        name = f"lake-{uuid.uuid4().hex[:10]}"
        self.client().create_bucket(Bucket=name)
        return name

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://{self.endpoint}",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )

    def env(self, bucket: str) -> dict[str, str]:
        return {
            "UPR_LAKE_DATA": f"s3://{bucket}/data/",
            "UPR_S3_KEY_ID": "test",
            "UPR_S3_SECRET": "test",
            "UPR_S3_REGION": "us-east-1",
            "UPR_S3_ENDPOINT": self.endpoint,
            "UPR_S3_URL_STYLE": "path",
            "UPR_S3_USE_SSL": "false",
        }


@contextmanager
def s3_server():
    server = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(server).exists():
        _missing("moto's S3 server is not installed (pip package moto[server])")
    port = free_port()
    process = subprocess.Popen(
        [server, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(port)
        yield S3(port)
    finally:
        process.terminate()
        process.wait(10)
