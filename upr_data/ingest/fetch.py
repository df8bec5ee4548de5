"""Downloading the OHCHR UHRI full export (standard library only)."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_URL = "https://dataex.ohchr.org/uhri/export-results/export-full-en.xlsx"
DEFAULT_TIMEOUT = 60.0  # seconds without an answer (per network operation, not in total)
CHUNK = 1 << 16
XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
USER_AGENT = "upr-tracker/0.1 (UPR Implementation Tracker; fetch-uhri)"

Progress = Callable[[int, int | None], None]  # (bytes so far, total bytes or None if unknown)


class FetchError(Exception):
    """The download failed; the message says why and what to do. No file was left at `dest`."""


def fetch_uhri(
    url: str = DEFAULT_URL,
    dest: Path | str = "export-full-en.xlsx",
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> Path:
    """Download `url` to `dest` (written under a temporary name, renamed when complete).

    Raises FetchError when offline, on an HTTP error, a timeout, a short download, or when the
    answer is not an .xlsx workbook (e.g. an HTML error page).
    """
    dest = Path(dest)
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"{url!r} is not an http(s) address")
    host = parsed.hostname or url
    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = dest.with_name(f".{dest.name}.part")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    offline_hint = (
        f"If this machine is offline, download {url} in a browser elsewhere and import the file "
        "with `python -m upr_data import FILE --state ISO3`."
    )
    done, total = 0, None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, open(temp, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if progress:
                progress(0, total)
            while chunk := response.read(CHUNK):
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
            out.flush()
            os.fsync(out.fileno())
    except urllib.error.HTTPError as error:
        temp.unlink(missing_ok=True)
        raise FetchError(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        temp.unlink(missing_ok=True)
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise FetchError(
                f"{host} did not answer within {timeout:g} s. {offline_hint}"
            ) from None
        raise FetchError(f"cannot reach {host} ({reason}). {offline_hint}") from None
    except TimeoutError:
        temp.unlink(missing_ok=True)
        raise FetchError(
            f"{host} stopped sending for {timeout:g} s after {done} bytes. {offline_hint}"
        ) from None
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise FetchError(f"download from {host} failed after {done} bytes: {error}") from None
    if total is not None and done != total:
        temp.unlink(missing_ok=True)
        raise FetchError(f"download incomplete: {done} of {total} bytes from {host}")
    with open(temp, "rb") as handle:
        start = handle.read(len(XLSX_MAGIC))
    if start != XLSX_MAGIC:
        temp.unlink(missing_ok=True)
        raise FetchError(
            f"{url} did not return an .xlsx workbook (it starts with {start!r}); "
            "the address may have changed: pass the current one with --url"
        )
    os.replace(temp, dest)
    return dest
