"""Command line: `python -m upr_data build | check` (see README)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import build, check, settings
from .problems import InputError


def _store_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", type=Path, default=None, help="store folder (default: $UPR_STORE or data/store)"
    )


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

    target = args.store or settings.store_path()
    path = Path(args.path)
    if not path.is_file():
        print(f"import stopped: no file {path}", file=sys.stderr)
        return 2
    try:
        kind, ids = progress_import.import_path(target, path, Writer.command_line())
    except InputError as error:
        _print_problems("import", error)
        return 1
    print(f"imported {len(ids)} {kind} from {path.name} into {target}")
    return 0


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
        path = brief.write_brief(target, args.state, out)
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
    p = commands.add_parser("check", help="verify the store against official totals and rules")
    _store_arg(p)
    p.set_defaults(run=_cmd_check)
    p = commands.add_parser("import", help="import a file: assessments or evidence (templates)")
    p.add_argument("path", help="a .csv or .xlsx file")
    _store_arg(p)
    p.set_defaults(run=_cmd_import)
    p = commands.add_parser("brief", help="write the embassy brief (PDF) of one recommending State")
    _store_arg(p)
    p.add_argument("--state", required=True, help="ISO 3166 alpha-3 code, e.g. DEU")
    p.add_argument(
        "--out", type=Path, default=None, help="PDF to write (default: brief-<STATE>.pdf)"
    )
    p.set_defaults(run=_cmd_brief)
    p = commands.add_parser("messages", help="extract interface text into the gettext catalogs")
    p.set_defaults(run=_cmd_messages)
    args = parser.parse_args(argv)
    return args.run(args)
