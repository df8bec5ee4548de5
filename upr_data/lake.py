"""Where the store lives, and a DuckDB connection to it: a DuckLake (Parquet data files plus a SQL
catalog of snapshots), which one machine or many app servers share.

A location is either
- a folder (the default, `data/lake` in the repository): the catalog is a SQLite file in it and
  the data files sit beside it, so a laptop needs nothing else and works offline; or
- `postgres:<libpq connection string>` with the data files at `UPR_LAKE_DATA` (e.g.
  `s3://bucket/upr/`): the catalog in PostgreSQL, the files in S3-compatible object storage, for
  several servers at once. S3 credentials come from `UPR_S3_KEY_ID`, `UPR_S3_SECRET`,
  `UPR_S3_REGION`, `UPR_S3_ENDPOINT` (host:port of a non-AWS service), `UPR_S3_URL_STYLE`
  (`path` for most non-AWS services) and `UPR_S3_USE_SSL` (`false` for plain http).

DuckDB's extensions (ducklake, sqlite_scanner, postgres_scanner, httpfs) are loaded from the
pinned pip packages `duckdb-extension-<name>`, which carry DuckDB's signed binaries for this exact
DuckDB version, so no network is needed; where the package for this version is not installed,
from DuckDB's own repository (`INSTALL`, online). Unsigned extensions are never allowed.
"""

from __future__ import annotations

import importlib
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

ALIAS = "lake"
CATALOG_FILE = "catalog.sqlite"
FILES_DIR = "files"
# The extension each catalog needs, and the pip package carrying it. A file loaded by path must
# bear the extension's own name: DuckDB derives the entry point from it.
PACKAGES = {
    "ducklake": "ducklake",
    "sqlite_scanner": "sqlite",
    "postgres_scanner": "postgres",
    "httpfs": "httpfs",
}


class LakeError(RuntimeError):
    """The lake cannot be opened; the message says why and what to do."""


@dataclass(frozen=True)
class Location:
    catalog: str  # "sqlite:<file>" or "postgres:<dsn>"
    data_path: str  # folder or s3:// prefix, ending in "/"
    folder: Path | None  # the embedded lake's folder; None for a shared catalog

    @property
    def shared(self) -> bool:
        return self.folder is None

    def describe(self) -> str:
        if self.folder is not None:
            return str(self.folder)
        dsn = " ".join(p for p in self.catalog.split() if not p.startswith("password="))
        return f"{dsn} (data {self.data_path})"


def locate(where: Path | str | Location) -> Location:
    """A Location from a folder, a `postgres:` string or a Location."""
    if isinstance(where, Location):
        return where
    text = str(where)
    if text.startswith("postgres:"):
        data = os.environ.get("UPR_LAKE_DATA", "").strip()
        if not data:
            raise LakeError(
                "UPR_LAKE names a PostgreSQL catalog: set UPR_LAKE_DATA to where the data files "
                "go (e.g. s3://bucket/upr/)"
            )
        return Location(text, data.rstrip("/") + "/", None)
    folder = Path(text).resolve()
    return Location(f"sqlite:{folder / CATALOG_FILE}", f"{folder / FILES_DIR}/", folder)


# -- extensions ------------------------------------------------------------------------------------

_EXTENSION_CACHE = Path(
    os.environ.get("UPR_EXTENSION_DIR", "")
    or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "upr-tracker" / "duckdb"
)


def packaged_extension(name: str) -> Path | None:
    """The signed binary of `name` for this DuckDB version from its pip package, under the
    extension's own file name; None if the package for this version is not installed."""
    package = PACKAGES[name]
    try:
        module = importlib.import_module(f"duckdb_extension_{package}")
    except ImportError:
        return None
    version = duckdb.__version__
    source = (
        Path(module.__file__).parent / "extensions" / f"v{version}" / f"{package}.duckdb_extension"
    )
    if not source.is_file():
        return None
    target = _EXTENSION_CACHE / f"v{version}" / f"{name}.duckdb_extension"
    if not target.is_file() or target.stat().st_size != source.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(source, temp)
        os.replace(temp, target)
    return target


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """Load `name`; returns where it came from ("package" or "repository")."""
    path = packaged_extension(name)
    if path is not None:
        con.execute(f"LOAD '{path}'")  # a path of ours, not a user value
        return "package"
    try:
        con.execute(f"INSTALL {name}")
        con.execute(f"LOAD {name}")
    except duckdb.Error as error:
        package = f"duckdb-extension-{PACKAGES[name]}=={duckdb.__version__}"
        raise LakeError(
            f"cannot load DuckDB's {name} extension: install the package {package} "
            f"(offline) or allow DuckDB to reach its repository ({error})"
        ) from None
    return "repository"


# -- connections ---------------------------------------------------------------------------------


def _s3_secret(con: duckdb.DuckDBPyConnection) -> None:
    """The S3 credentials from the environment. CREATE SECRET takes no bound parameters: the
    values go in as escaped string literals."""
    env = os.environ.get
    options = {
        "KEY_ID": env("UPR_S3_KEY_ID"),
        "SECRET": env("UPR_S3_SECRET"),
        "REGION": env("UPR_S3_REGION"),
        "ENDPOINT": env("UPR_S3_ENDPOINT"),
        "URL_STYLE": env("UPR_S3_URL_STYLE"),
    }
    parts = ["TYPE s3"] + [f"{k} {_literal(v)}" for k, v in options.items() if v]
    use_ssl = env("UPR_S3_USE_SSL")
    if use_ssl:
        parts.append(f"USE_SSL {'true' if use_ssl.lower() in ('1', 'true', 'yes') else 'false'}")
    con.execute(f"CREATE OR REPLACE SECRET upr_s3 ({', '.join(parts)})")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


ATTACH_TRIES = 20  # ~10 s in all


def connect(where: Path | str | Location, *, create: bool = True) -> duckdb.DuckDBPyConnection:
    """A new DuckDB connection with the lake attached as `lake`."""
    location = locate(where)
    con = duckdb.connect(":memory:")
    try:
        kind = location.catalog.split(":", 1)[0]
        load_extension(con, "ducklake")
        load_extension(con, "sqlite_scanner" if kind == "sqlite" else "postgres_scanner")
        if location.data_path.startswith("s3://"):
            load_extension(con, "httpfs")
            _s3_secret(con)
        if location.folder is not None:
            if not create and not (location.folder / CATALOG_FILE).is_file():
                raise LakeError(f"no store at {location.folder}")
            (location.folder / FILES_DIR).mkdir(parents=True, exist_ok=True)
        # An embedded lake's files sit beside its catalog, named relative to the data path: a
        # copy of the folder (a backup, a test's copy) is a lake of its own wherever it lands.
        override = ", OVERRIDE_DATA_PATH TRUE" if location.folder is not None else ""
        attach = (
            f"ATTACH {_literal('ducklake:' + location.catalog)} AS {ALIAS} "
            f"(DATA_PATH {_literal(location.data_path)}{override})"
        )
        # An embedded catalog (SQLite) is locked for a moment while another process commits:
        # reading its metadata then fails with "database is locked"; try again shortly.
        for attempt in range(ATTACH_TRIES):
            try:
                con.execute(attach)
                break
            except duckdb.Error as error:
                if "locked" not in str(error).lower() or attempt == ATTACH_TRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
    except duckdb.Error as error:
        con.close()
        raise LakeError(f"cannot open the store at {location.describe()}: {error}") from None
    except BaseException:
        con.close()
        raise
    return con


class _Shared:
    """One attached connection per location and process; each caller takes a cursor."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connections: dict[Location, duckdb.DuckDBPyConnection] = {}

    def cursor(self, where: Path | str | Location) -> duckdb.DuckDBPyConnection:
        location = locate(where)
        with self.lock:
            con = self.connections.get(location)
            if con is None:
                con = self.connections[location] = connect(location)
            return con.cursor()

    def forget(self, where: Path | str | Location) -> None:
        with self.lock:
            con = self.connections.pop(locate(where), None)
        if con is not None:
            con.close()


SHARED = _Shared()


def cursor(where: Path | str | Location) -> duckdb.DuckDBPyConnection:
    """A cursor on this process's connection to the lake (opened on first use)."""
    return SHARED.cursor(where)
