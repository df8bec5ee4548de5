"""The import and fetch commands, as functions the CLI (or a page) calls with its own output.

Output goes through the `out` / `err` callables (the CLI passes `print` and a stderr printer), so
this package never prints.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..access import NotAllowed, Writer
from ..problems import InputError
from .commit import commit
from .detect import read_file
from .fetch import DEFAULT_TIMEOUT, DEFAULT_URL, FetchError, fetch_uhri
from .preview import preview

Write = Callable[[str], None]


def run_import(
    path: Path,
    store_dir: Path,
    *,
    kind: str | None = None,
    state: str | None = None,
    cycle: int | None = None,
    apply: bool | Callable[[], bool] = False,
    writer: Writer | None = None,
    out: Write,
    err: Write,
) -> int:
    """Read, preview and (with `apply`, or if `apply()` says so after the preview) write one
    file; returns the exit code."""
    parsed = read_file(Path(path), store_dir, kind=kind, state=state, cycle=cycle)
    plan = preview(store_dir, parsed)
    for line in plan.lines():
        out(line)
    if plan.problems:
        err(f"import stopped: {len(plan.problems)} problem(s); the store was not changed.")
        return 1
    if callable(apply):
        apply = apply()
    if not apply:
        out("preview only: nothing was written")
        return 0
    try:
        counts = commit(store_dir, parsed, writer)
    except InputError as error:  # the store changed between preview and commit
        for problem in error.problems:
            err(f"  {problem}")
        err("import stopped; the store was not changed.")
        return 1
    except NotAllowed as error:
        err(f"import refused: {error}")
        return 1
    if counts["part"] is None:
        out(f"nothing written: {store_dir} already holds this file's content")
    else:
        out(
            f"written to {store_dir} (part {counts['part']}): {counts['new']} new, "
            f"{counts['changed']} positions changed"
        )
    return 0


def progress_printer(out: Write, step: float = 0.1, unknown_step: int = 5 << 20):
    """A progress callback printing a line every 10 % (or every 5 MB when the size is unknown)."""
    state = {"next": 0.0}

    def report(done: int, total: int | None) -> None:
        if total:
            share = done / total
            if share >= state["next"] or done == total:
                out(f"  {done / 1e6:.1f} of {total / 1e6:.1f} MB ({share:.0%})")
                state["next"] = share + step
        elif done >= state["next"]:
            out(f"  {done / 1e6:.1f} MB")
            state["next"] = done + unknown_step

    return report


def run_fetch(
    store_dir: Path,
    *,
    dest: Path,
    url: str | None = None,
    state: str | None = None,
    cycle: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    apply: bool | Callable[[], bool] = False,
    writer: Writer | None = None,
    out: Write,
    err: Write,
) -> int:
    """Download the UHRI export to `dest`, then preview (and with `apply` write) its import."""
    url = url or DEFAULT_URL
    out(f"downloading {url} -> {dest}")
    try:
        fetch_uhri(url, dest, timeout=timeout, progress=progress_printer(out))
    except FetchError as error:
        err(f"fetch failed: {error}")
        return 1
    return run_import(
        dest,
        store_dir,
        kind="uhri",
        state=state,
        cycle=cycle,
        apply=apply,
        writer=writer,
        out=out,
        err=err,
    )
