"""Writing an import: all or nothing, and nothing at all when there is nothing new."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from .. import schema, store
from ..access import Writer, require_writer
from ..problems import InputError
from .model import ParsedRecommendations
from .preview import APPENDED, preview

AUDIT_ACTION = "import_recommendations"


def _audit(writer: Writer, parsed: ParsedRecommendations, counts: dict, rows: int) -> pa.Table:
    record = dict(
        audit_id=f"W-{uuid.uuid4().hex[:12].upper()}",
        at=datetime.now(UTC).replace(microsecond=0),
        who=writer.who,
        access=writer.access,
        action=AUDIT_ACTION,
        summary=(
            f"{parsed.kind} file for {parsed.sur}, cycle(s) "
            f"{', '.join(str(c) for c in parsed.cycles)}: {counts['new']} new recommendations, "
            f"{counts['changed']} positions changed"
        ),
        rows=rows,
        file_name=parsed.file,
        file_sha256=parsed.sha256,
    )
    names = schema.TABLES["audit"].names
    return pa.Table.from_pylist([{c: record.get(c) for c in names}], schema.TABLES["audit"])


def commit(
    store_dir: Path, parsed: ParsedRecommendations, writer: Writer | None = None
) -> dict[str, int | str | None]:
    """Append what `preview` shows as one change (one part file per table touched).

    Raises InputError with every problem, before anything is written (NotAllowed if `writer` may
    not write; None means the command line). Re-importing a file the store already holds writes
    no file at all. An import that writes also appends its audit row, in the same change.
    Returns the preview's counts and the part name (None when nothing was written).

    The comparison is made before the store's write lock is taken: two imports run at the same
    moment could both add the same new paragraph (`check` would report "recommendation ids
    repeat"). Imports are a curator's occasional action; see the report to the lead.
    """
    writer = writer or Writer.command_line()
    require_writer(writer)
    store_dir = Path(store_dir)
    plan = preview(store_dir, parsed)
    if plan.problems:
        raise InputError(plan.problems)
    counts: dict[str, int | str | None] = dict(plan.counts())
    part = None
    if plan.writes:
        tables = {name: plan.tables[name] for name in (*APPENDED, "cycles")}
        rows = sum(t.num_rows for t in tables.values())
        tables["audit"] = _audit(writer, parsed, counts, rows)
        part = store.append(store_dir, tables)
    counts["part"] = part
    return counts
