"""The UPR Info database's CSV export: one row per (recommendation, recommending State).

Columns (matched tolerantly): `Recommendation`, `Recommending State`, `State under Review`,
`Response` (required); `Action category`, `Issues`, `Session`, `Cycle`, and a paragraph number
column if the export has one (`Paragraph`, `Recommendation number`, ...).

- Rows are grouped back into paragraphs: by the paragraph number (its column, or a number leading
  the text); rows with the same number and text are one paragraph crediting each row's State.
- When the export carries no paragraph number, rows with the same text (same cycle) are one
  recommendation, numbered 0.1, 0.2, ... in the order the file first lists each text. The preview
  matches such recommendations to stored ones by their text before treating them as new, and then
  numbers new ones after the highest 0.n already stored, so a re-import is stable. A clustered UN
  paragraph whose States UPR Info lists with different texts stays several recommendations: the
  totals comparison in the preview shows it.
- Response: Supported / Accepted, Noted / Rejected (the UPR counts rejected as noted),
  Partially accepted / Supported/Noted; a blank is pending.
- The cycle comes from `Cycle`, else from `Session` through the `cycles` table.
- `Action category` (1-5, or its name) becomes an official tag of scheme action_category;
  `Issues` (separated by ";" or new lines, else by ",") official tags of scheme uprinfo_issue.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .. import countries
from ..i18n import _
from ..problems import Problem
from ..taxonomy import ACTION_CATEGORIES
from .assemble import RawRow, assemble, pick_state
from .headers import Column
from .model import (
    SCHEME_ACTION,
    SCHEME_UPRINFO_ISSUE,
    CycleIndex,
    OfficialTag,
    ParsedRecommendations,
    blank,
    cell_text,
    first_int,
    resolve_states,
    response_code,
    slug,
    split_paragraph,
    valid_paragraph,
)
from .sheets import data_rows, open_layout

LAYOUT = "UPR Info database export"

# One declared table of the aliases of every UPR Info layout seen: the database's legacy Excel 97
# export (`SuR, Rgrp, Org, Recommendation, RS, Rgrp, Org, Response, Action, Issue, Session`), the
# CSV copies of it with the pairs renamed (`To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org`),
# and the current database's own export (`State under Review`, `Recommending State`, ...).
COLUMNS = [
    Column("text", "Recommendation", ("Recommendation text", "Text", "Title"), required=True),
    Column(
        "states",
        "Recommending State",
        (
            "Recommending States",
            "Recommending State(s)",
            "Recommending country",
            "From State",
            "RS",
            "From",
        ),
        required=True,
    ),
    Column(
        "sur",
        "State under Review",
        ("State under Review (SuR)", "SuR", "State reviewed", "Reviewed State", "To"),
        required=True,
    ),
    Column("position", "Response", ("Position", "Response to recommendation"), required=True),
    Column("action", "Action category", ("Action", "Category of action")),
    Column("issues", "Issues", ("Issue", "Themes")),
    Column("session", "Session", ("UPR Session", "WG Session")),
    Column("cycle", "Cycle", ("UPR Cycle",)),
    Column(
        "paragraph",
        "Paragraph",
        ("Paragraph number", "Recommendation number", "Rec number", "Number"),
    ),
    Column("document", "Document", ("Document symbol", "Symbol")),
    # Known and not needed: the regional group and organisations of either State.
    Column("year", "Year"),
    Column("date", "Date"),
    Column(
        "group",
        "Recommending State regional group",
        ("Regional group", "Group", "From-Rgrp", "RS Rgrp", "Rgrp"),
        after="states",
    ),
    Column(
        "org", "Recommending State organisations", ("From-Org", "RS Org", "Org"), after="states"
    ),
    Column("sur_group", "SuR regional group", ("To-Rgrp", "SuR Rgrp", "Rgrp"), after="sur"),
    Column("sur_org", "SuR organisations", ("To-Org", "SuR Org", "Org"), after="sur"),
]

_ACTION_LABELS = {label.lower(): code for code, label in ACTION_CATEGORIES.items()}


def _action(value) -> tuple[OfficialTag | None, bool]:
    """(tag, understood) of an Action category cell; blank -> (None, True)."""
    text = cell_text(value)
    if not text:
        return None, True
    match = re.match(r"^\s*(?:category\s*)?([1-5])\b", text, re.I)
    code = match.group(1) if match else None
    if code is None:
        label = re.sub(r"^\s*\d\s*[-:.]\s*", "", text).strip().lower()
        code = _ACTION_LABELS.get(label)
    if code is None:
        return None, False
    return OfficialTag(SCHEME_ACTION, code, ACTION_CATEGORIES[code]), True


def _issues(value) -> list[OfficialTag]:
    text = cell_text(value)
    if not text:
        return []
    parts = re.split(r"[;\n\r]+", text) if re.search(r"[;\n\r]", text) else text.split(",")
    labels = [re.sub(r"^\s*[-\u2022]\s*", "", p).strip() for p in parts]
    return [OfficialTag(SCHEME_UPRINFO_ISSUE, slug(x), x) for x in dict.fromkeys(labels) if x]


def _state_names(value) -> list[str]:
    text = cell_text(value)
    return [p.strip() for p in re.split(r"[;\n\r]+", text) if p.strip()]


def read_uprinfo(
    path: Path,
    cycles: CycleIndex,
    state: str | None = None,
    cycle: int | None = None,
) -> ParsedRecommendations:
    """Read the recommendations to one State under review from a UPR Info CSV export."""
    path = Path(path)
    file = path.name
    result = ParsedRecommendations(file=file, kind="uprinfo", sur=state)
    table = open_layout(path, COLUMNS, LAYOUT, result)
    if table is None:
        return result
    mapping = table.mapping
    if not (mapping.has("cycle") or mapping.has("session")):
        result.problems.append(
            Problem(file, table.header_row, "Cycle", _("missing column: 'Cycle' or 'Session'"))
        )
    if result.problems:
        return result
    col = dict(mapping.printed)

    rows = [(n, r) for n, r in data_rows(path, table) if not all(blank(v) for v in r)]
    surs: Counter = Counter()
    names: dict[str, str] = {}
    sur_of: dict[int, str | None] = {}
    unresolved: Counter = Counter()
    for number, row in rows:
        name = cell_text(mapping.get(row, "sur"))
        try:
            code = countries.to_iso3(name)
        except countries.UnknownState:
            unresolved[name] += 1
            sur_of[number] = None
            continue
        sur_of[number] = code
        names.setdefault(code, name)
        surs[code] += 1
    state, problems = pick_state(file, col["sur"], surs, names, state)
    if state is None:
        result.problems.extend(problems)
        return result
    result.sur = state
    if unresolved:
        shown = ", ".join(repr(n) for n in sorted(unresolved))
        result.notes.append(
            _(
                "{file}: rows with an unrecognised State under Review skipped: {shown}",
                file=file,
                shown=shown,
            )
        )

    raw_rows: list[RawRow] = []
    blank_positions = 0
    other_cycles: Counter = Counter()
    for number, row in rows:
        if sur_of[number] != state:
            continue

        def get(role, row=row):
            return mapping.get(row, role)

        ok = True
        found_cycle = _cycle(file, number, col, cycles, state, get, result.problems)
        if found_cycle is None:
            continue
        if cycle is not None and found_cycle != cycle:
            other_cycles[found_cycle] += 1
            continue
        text_cell = cell_text(get("text"))
        paragraph, text = split_paragraph(text_cell)
        given = cell_text(get("paragraph")) if "paragraph" in col else ""
        if given:
            text = text if paragraph == given else text_cell
            paragraph = given
        if not text:
            result.problems.append(Problem(file, number, col["text"], _("empty text")))
            ok = False
        if paragraph is not None and not valid_paragraph(paragraph):
            where = col.get("paragraph", col["text"])
            result.problems.append(
                Problem(
                    file,
                    number,
                    where,
                    _(
                        "{paragraph} is not a paragraph number like 110.12",
                        paragraph=repr(paragraph),
                    ),
                )
            )
            ok = False
        states = _state_names(get("states"))
        if not states:
            result.problems.append(Problem(file, number, col["states"], _("no recommending State")))
            ok = False
        for error in resolve_states(states)[1]:
            result.problems.append(Problem(file, number, col["states"], error))
            ok = False
        position = get("position")
        response = response_code(position)
        if blank(position):
            response, blank_positions = "pending", blank_positions + 1
        elif response is None:
            result.problems.append(
                Problem(
                    file,
                    number,
                    col["position"],
                    _(
                        "unknown response {value} (expected Supported/Accepted, "
                        "Noted/Rejected, Partially accepted or blank)",
                        value=repr(cell_text(position)),
                    ),
                )
            )
            ok = False
        tags = _issues(get("issues")) if "issues" in col else []
        if "action" in col:
            tag, understood = _action(get("action"))
            if not understood:
                result.problems.append(
                    Problem(
                        file,
                        number,
                        col["action"],
                        _(
                            "unknown action category {value} (1-5)",
                            value=repr(cell_text(get("action"))),
                        ),
                    )
                )
                ok = False
            elif tag is not None:
                tags.append(tag)
        document = cell_text(get("document")) if "document" in col else ""
        if ok:
            raw_rows.append(
                RawRow(
                    row=number,
                    cycle=found_cycle,
                    paragraph=paragraph,
                    text=text,
                    states=states,
                    response=response,
                    document=document or cycles.document(state, found_cycle),
                    tags=tags,
                    session=first_int(get("session")) if "session" in col else None,
                )
            )
    if blank_positions:
        result.notes.append(
            _(
                "{file}: {n} rows have no response: taken as pending",
                file=file,
                n=blank_positions,
            )
        )
    if other_cycles:
        skipped = ", ".join(
            _("cycle {cycle}: {n}", cycle=c, n=n) for c, n in sorted(other_cycles.items())
        )
        result.notes.append(
            _("{file}: rows of other cycles skipped ({skipped})", file=file, skipped=skipped)
        )
    if not raw_rows and not result.problems:
        result.problems.append(
            Problem(
                file, None, col["sur"], _("no recommendation to {state} in the file", state=state)
            )
        )
        return result

    def sources(raw: RawRow) -> tuple[str, str | None]:
        document = raw.document or "UN document"
        where = f" para {raw.paragraph.split('.')[0]}" if raw.paragraph else ""
        return (
            f"{document}{where}; text as in the UPR Info database export ({file})",
            f"UPR Info database export ({file}), column {col['position']}",
        )

    col.setdefault("cycle", col.get("session", "Cycle"))  # where a cycle problem points
    recs, problems, notes = assemble(file, raw_rows, col, sources, note_merges=False)
    result.recommendations = recs
    result.problems.extend(problems)
    result.notes.extend(notes)
    return result


def _cycle(file, number, col, cycles: CycleIndex, sur, get, problems) -> int | None:
    given = first_int(get("cycle")) if "cycle" in col else None
    session = first_int(get("session")) if "session" in col else None
    by_session = cycles.by_session(sur, session) if session is not None else None
    if given is not None and by_session is not None and given != by_session:
        problems.append(
            Problem(
                file,
                number,
                col["cycle"],
                _(
                    "cycle {cycle} but session {session} is of cycle {by_session}",
                    cycle=given,
                    session=session,
                    by_session=by_session,
                ),
            )
        )
        return None
    found = given if given is not None else by_session
    if found is None:
        known = ", ".join(str(s) for s in cycles.sessions(sur)) or _("none")
        problems.append(
            Problem(
                file,
                number,
                col.get("cycle") or col.get("session"),
                _(
                    "no cycle: the row gives neither a cycle nor a session of {sur} "
                    "(its working-group sessions: {known})",
                    sur=sur,
                    known=known,
                ),
            )
        )
        return None
    if not 1 <= found <= 20:
        problems.append(
            Problem(
                file,
                number,
                col.get("cycle") or col.get("session"),
                _("cycle {cycle} is not a UPR cycle", cycle=found),
            )
        )
        return None
    return found
