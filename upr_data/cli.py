"""Command line: `python -m upr_data build | check` (see README)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import build, check, settings
from .problems import InputError


def _store_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=_location,
        default=None,
        help="the lake: a folder or postgres:<connection string> (default: $UPR_LAKE or data/lake)",
    )


def _location(value: str) -> Path | str:
    return value if value.startswith("postgres:") else Path(value)


def _cmd_migrate(args: argparse.Namespace) -> int:
    from .migrate import migrate

    target = args.store or settings.store_path()
    try:
        rows, changes = migrate(Path(args.old), target)
    except ValueError as error:
        print(f"migrate: {error}", file=sys.stderr)
        return 2
    print(f"migrated {args.old} into {target}: {rows} base rows and {changes} later changes")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    target = args.store or settings.store_path()
    try:
        counts = build.build(target, args.sources)
    except InputError as error:
        print(
            f"build stopped: {len(error.problems)} problem(s); the store was not changed.",
            file=sys.stderr,
        )
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"built {target}")
    for table, n in counts.items():
        print(f"  {table}: {n} rows")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    target = args.store or settings.store_path()
    report = check.check_store(target)
    for note in report.notes:
        print(note)
    if report.ok:
        print(f"check passed: {target}")
        return 0
    print(f"check failed: {len(report.problems)} problem(s) in {target}", file=sys.stderr)
    for problem in report.problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


def _cmd_import(args: argparse.Namespace) -> int:
    from . import progress_import
    from .access import Writer
    from .ingest import detect_kind
    from .ingest.commands import run_import

    target = args.store or settings.store_path()
    path = Path(args.path)
    if not path.is_file():
        print(f"import stopped: no file {path}", file=sys.stderr)
        return 2
    try:
        kind = detect_kind(path)
    except InputError as error:
        _print_problems("import", error)
        return 1
    if kind == "plan":
        return _import_plan(args, target, path)
    if kind == "progress":
        try:
            what, ids = progress_import.import_path(target, path, Writer.command_line())
        except InputError as error:
            _print_problems("import", error)
            return 1
        print(f"imported {len(ids)} {what} from {path.name} into {target}")
        return 0

    return run_import(
        path,
        target,
        kind=kind,
        state=args.state,
        cycle=args.cycle,
        apply=_confirm(args.yes),
        writer=Writer.command_line(),
        out=print,
        err=_stderr,
    )


def _import_plan(args: argparse.Namespace, target, path: Path) -> int:
    from .access import Writer
    from .ingest.current import read_current
    from .plan import importer

    sur = args.state
    if not sur:
        held = sorted(set(read_current(target, "recommendations").column("sur").to_pylist()))
        if len(held) != 1:
            print(
                "import stopped: name the State whose plan this is (--state KHM)", file=sys.stderr
            )
            return 2
        sur = held[0]
    try:
        ids, notes = importer.import_path(
            target, path, Writer.command_line(), sur=sur.upper(), cycle=args.cycle
        )
    except InputError as error:
        _print_problems("import", error)
        return 1
    for note in notes:
        print(note)
    print(f"imported {len(ids)} plan items from {path.name} into {target}")
    return 0


def _cmd_calendar(args: argparse.Namespace) -> int:
    from . import queries
    from .countries import display_name
    from .filters import Filters
    from .plan import calendar
    from .plan import queries as plan_queries

    target = args.store or settings.store_path()
    con = queries.connect(target)
    f = Filters(sur=args.state.upper() if args.state else None)
    dates = plan_queries.calendar_dates(con, f)
    if not dates:
        print("no review date is recorded for that State", file=sys.stderr)
        return 1
    name = f"UPR calendar: {display_name(dates[0].sur)}"
    Path(args.out).write_bytes(calendar.to_ics(dates, name))
    print(f"wrote {len(dates)} dates to {args.out}")
    return 0


def _cmd_fetch_uhri(args: argparse.Namespace) -> int:
    from .access import Writer
    from .ingest.commands import run_fetch

    target = args.store or settings.store_path()
    return run_fetch(
        target,
        dest=args.dest,
        url=args.url,
        state=args.state,
        cycle=args.cycle,
        timeout=args.timeout,
        apply=_confirm(args.yes),
        writer=Writer.command_line(),
        out=print,
        err=_stderr,
    )


def _confirm(yes: bool):
    """After the preview: write with --yes, else ask (and never write without an answer)."""

    def ask() -> bool:
        if yes:
            return True
        if not sys.stdin.isatty():
            print("preview only: run again with --yes to write it")
            return False
        return input("Write this to the store? [y/N] ").strip().lower() in ("y", "yes")

    return ask


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _print_problems(what: str, error: InputError) -> None:
    print(
        f"{what} stopped: {len(error.problems)} problem(s); the store was not changed.",
        file=sys.stderr,
    )
    for problem in error.problems:
        print(f"  {problem}", file=sys.stderr)


def _cmd_brief(args: argparse.Namespace) -> int:
    from . import brief

    target = args.store or settings.store_path()
    out = args.out or Path(f"brief-{args.state.strip().upper()}.pdf")
    try:
        path = brief.write_brief(target, args.state, out, sur=args.sur)
    except ValueError as error:
        print(f"brief: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0


def _cmd_messages(args: argparse.Namespace) -> int:
    from . import messages

    for path in messages.write(messages.extract()):
        print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m upr_data", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("build", help="rebuild the store's base tables from data/sources")
    _store_arg(p)
    p.add_argument("--sources", type=Path, default=settings.SOURCES_DIR, help="source folder")
    p.set_defaults(run=_cmd_build)
    p = commands.add_parser(
        "migrate", help="copy an old-format store folder (Parquet parts) into the lake"
    )
    p.add_argument("old", help="the old store folder, e.g. a copy of data/store before DuckLake")
    _store_arg(p)
    p.set_defaults(run=_cmd_migrate)
    p = commands.add_parser("check", help="verify the store against official totals and rules")
    _store_arg(p)
    p.set_defaults(run=_cmd_check)
    p = commands.add_parser(
        "import",
        help="import a file: recommendations (OHCHR UHRI export, UPR Info CSV, our template), "
        "progress (assessments, evidence) or an implementation plan (a matrix with columns for "
        "recommendation, ministry, action...); recommendations are previewed first",
    )
    p.add_argument("path", help="a .csv or .xlsx file")
    p.add_argument(
        "--state", default=None, help="State under review (ISO3), if the file has several"
    )
    p.add_argument(
        "--cycle",
        type=int,
        default=None,
        help="import only this cycle (a plan: the cycle its paragraph numbers refer to)",
    )
    p.add_argument("--yes", action="store_true", help="write without asking after the preview")
    _store_arg(p)
    p.set_defaults(run=_cmd_import)
    p = commands.add_parser(
        "fetch-uhri", help="download the OHCHR UHRI export, then import one State's UPR cycles"
    )
    p.add_argument("--state", required=True, help="State under review, e.g. KHM")
    p.add_argument("--url", default=None, help="export address (default: the published one)")
    p.add_argument(
        "--dest",
        type=Path,
        default=settings.REPO_ROOT / "data" / "downloads" / "export-full-en.xlsx",
        help="where to keep the download",
    )
    p.add_argument("--timeout", type=float, default=60.0, help="seconds without data")
    p.add_argument("--cycle", type=int, default=None, help="import only this cycle")
    p.add_argument("--yes", action="store_true", help="write without asking after the preview")
    _store_arg(p)
    p.set_defaults(run=_cmd_fetch_uhri)
    p = commands.add_parser("brief", help="write the embassy brief (PDF) of one recommending State")
    _store_arg(p)
    p.add_argument("--state", required=True, help="ISO 3166 alpha-3 code, e.g. DEU")
    p.add_argument(
        "--sur",
        default=None,
        help="the State under review, where the store holds several (default: KHM)",
    )
    p.add_argument(
        "--out", type=Path, default=None, help="PDF to write (default: brief-<STATE>.pdf)"
    )
    p.set_defaults(run=_cmd_brief)
    p = commands.add_parser(
        "calendar",
        help="write the UPR calendar (key dates and plan items' due dates) as an iCalendar file",
    )
    _store_arg(p)
    p.add_argument("--state", default=None, help="State under review (default: KHM)")
    p.add_argument("--out", type=Path, required=True, help=".ics file to write (e.g. to publish)")
    p.set_defaults(run=_cmd_calendar)
    p = commands.add_parser("messages", help="extract interface text into the gettext catalogs")
    p.set_defaults(run=_cmd_messages)
    args = parser.parse_args(argv)
    return args.run(args)
