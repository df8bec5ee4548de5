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
    store_dir: Path | str, parsed: ParsedRecommendations, writer: Writer | None = None
) -> dict[str, int | str | None]:
    """Append what `preview` shows, with its audit row, as one transaction of the store.

    Raises InputError with every problem, before anything is written (NotAllowed if `writer` may
    not write; None means the command line). The comparison with the store runs inside the write
    (`store.write`), so two imports of the same file at the same moment, from any process or
    server, keep one copy: the later one finds the earlier one's rows and writes nothing.
    Returns the preview's counts and the new snapshot id (None when nothing was written).
    """
    writer = writer or Writer.command_line()
    require_writer(writer)
    counts: dict[str, int | str | None] = {}

    def compute() -> dict:
        plan = preview(store_dir, parsed)
        if plan.problems:
            raise InputError(plan.problems)
        counts.clear()
        counts.update(plan.counts())
        if not plan.writes:
            return {}
        tables = {name: plan.tables[name] for name in (*APPENDED, "cycles")}
        rows = sum(t.num_rows for t in tables.values())
        return {**tables, "audit": _audit(writer, parsed, counts, rows)}

    counts["part"] = store.write(store_dir, compute)
    return counts
