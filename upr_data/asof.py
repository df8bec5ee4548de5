"""Looking at the past: `?asof=2022-07-01` shows the store as it was at the end of that day (UTC),
through the newest DuckLake snapshot committed by then; and how a snapshot is named on a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from . import store
from .i18n import _


@dataclass(frozen=True)
class AsOf:
    snapshot: int | None  # None: the newest
    note: str | None  # what the user should know about the date they asked for


def resolve(where, text: str | None, today: date | None = None) -> AsOf:
    """The snapshot a `?asof=` value names; never raises (a bad value is a note)."""
    value = (text or "").strip()[:40]
    if not value:
        return AsOf(None, None)
    try:
        if len(value) > 10:  # a moment: 2026-12-01T03:30:00Z
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            day = moment.date()
        else:
            day = date.fromisoformat(value)
            moment = datetime.combine(day, time.max, tzinfo=UTC)
    except ValueError:
        return AsOf(None, _("Ignored as-of date “{value}”: use YYYY-MM-DD.", value=value))
    if moment >= datetime.now(UTC) or day > (today or datetime.now(UTC).date()):
        return AsOf(None, None)  # now or later: the newest data
    found = store.snapshot_as_of(where, moment)
    if found is None:
        first_id, first_at = store.snapshots(where)[0]
        return AsOf(
            first_id,
            _(
                "The store holds nothing from before {first}: showing its first snapshot, "
                "not {day}.",
                first=first_at.date().isoformat(),
                day=day.isoformat(),
            ),
        )
    return AsOf(found[0], _("As of {day}: the store as it was then.", day=value))


def label(where, snapshot: int) -> str:
    """'snapshot 42 of 2026-12-01 03:30 UTC'."""
    when = dict(store.snapshots(where)).get(int(snapshot))
    stamp = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if when else "?"
    return _("snapshot {id} of {when}", id=snapshot, when=stamp)
