"""The OHCHR Universal Human Rights Index (UHRI) export: read it, and write its layout.

The full export (https://dataex.ohchr.org/uhri/export-results/export-full-en.xlsx) holds every
UN recommendation, one row each. Headers as published, typos included (matched tolerantly):
`Text`, `Countries Concerned`, `Reccomending Body`, `UPR Reccomending States`, `UPR Position`
(required), `UPR Session`, `Document Symbol`, `Themes`, `Affected Persons`, `SDGs`, ... .

- Only rows whose `Reccomending Body` is UPR and whose `Countries Concerned` is the State under
  review are read. Without `state`, a file holding several States under review is a problem that
  lists them.
- List cells hold items each prefixed "- ", one a line; a single-valued cell is "- Cambodia".
- `Text` starts with the paragraph number: "110.1 Ratify ... (Chile);". The number becomes the
  paragraph, the rest the text.
- `UPR Position`: Supported, Noted, "Supported/Noted" (partially supported); a blank is pending.
- The cycle comes from `UPR Session` through the `cycles` table (its `wg_session`), else from the
  document symbol (its `wg_report` or `responses_document`).
- Every State in `UPR Reccomending States` is credited with the paragraph.
- Themes, affected persons and SDGs become official tags (schemes uhri_theme, uhri_group, sdg).

This layout is a lead, not a contract (see data/sources/PROVENANCE.md): unknown columns are
reported as notes, missing required ones as problems.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from .. import countries
from ..i18n import _
from ..problems import Problem
from .assemble import RawRow, assemble, pick_state
from .headers import Column
from .model import (
    SCHEME_UHRI_GROUP,
    SCHEME_UHRI_THEME,
    CycleIndex,
    OfficialTag,
    ParsedRecommendations,
    blank,
    cell_text,
    first_int,
    list_items,
    resolve_states,
    response_code,
    sdg_tag,
    single,
    slug,
    split_paragraph,
    valid_paragraph,
)
from .sheets import data_rows, open_layout

LAYOUT = "UHRI export"
# The columns read (an .xlsx decodes no other).
USED = (
    *("text", "countries", "body", "states", "position"),
    *("session", "document", "themes", "groups", "sdgs"),
)
UPR_BODY = "UPR"
UPR_BODIES = {UPR_BODY, "UNIVERSAL PERIODIC REVIEW"}

COLUMNS = [
    Column("text", "Text", ("Recommendation", "Recommendation text"), required=True),
    Column(
        "countries",
        "Countries Concerned",
        ("Country Concerned", "Countries", "State under Review"),
        required=True,
    ),
    Column("body", "Reccomending Body", ("Recommending Body", "Body"), required=True),
    Column(
        "states",
        "UPR Reccomending States",
        ("UPR Recommending States", "Recommending States", "UPR Recommending State"),
        required=True,
    ),
    Column("position", "UPR Position", ("Position",), required=True),
    Column("session", "UPR Session", ("Session",)),
    Column("document", "Document Symbol", ("Symbol",)),
    Column("themes", "Themes", ("Theme",)),
    Column(
        "groups",
        "Affected Persons",
        ("Groups of Persons", "Persons Affected", "Concerned Groups", "Affected Groups"),
    ),
    Column("sdgs", "SDGs", ("SDG", "Sustainable Development Goals")),
    # Known and not needed: read past without a note.
    Column("published", "Document Publication Date"),
    Column("type", "Type", ("Annotation Type",)),
    Column("annotation", "OHCHR Annotation Id"),
    Column("regions", "Regions Concerned"),
    Column("recommending_regions", "Recommending Regions"),
    Column("uhri_date", "Date of publication on UHRI"),
]


def _tags(get) -> list[OfficialTag]:
    tags = [OfficialTag(SCHEME_UHRI_THEME, slug(t), t) for t in list_items(get("themes"))]
    tags += [OfficialTag(SCHEME_UHRI_GROUP, slug(g), g) for g in list_items(get("groups"))]
    tags += [sdg_tag(s) for s in list_items(get("sdgs"))]
    return tags


def read_uhri(
    path: Path,
    cycles: CycleIndex,
    state: str | None = None,
    cycle: int | None = None,
) -> ParsedRecommendations:
    """Read the UPR recommendations to one State under review from a UHRI export (.xlsx/.csv)."""
    path = Path(path)
    file = path.name
    result = ParsedRecommendations(file=file, kind="uhri", sur=state)
    table = open_layout(path, COLUMNS, LAYOUT, result)
    if table is None:
        return result
    mapping = table.mapping
    if not (mapping.has("session") or mapping.has("document")):
        result.problems.append(
            Problem(
                file,
                table.header_row,
                "UPR Session",
                _("missing column: the cycle needs 'UPR Session' or 'Document Symbol'"),
            )
        )
    if result.problems:
        return result
    col = {role: mapping.printed[role] for role in mapping.printed}

    # Pass 1: the UPR rows and their States under review.
    upr_rows: list[tuple[int, list, list[str]]] = []
    surs: Counter = Counter()
    names: dict[str, str] = {}
    unresolved: Counter = Counter()
    other_bodies = 0
    for number, row in data_rows(path, table, USED):
        if all(blank(v) for v in row):
            continue
        bodies = [b.upper() for b in list_items(mapping.get(row, "body"))]
        if not UPR_BODIES.intersection(bodies):
            other_bodies += 1
            continue
        concerned = list_items(mapping.get(row, "countries"))
        codes = []
        for name in concerned:
            try:
                code = countries.to_iso3(name)
            except countries.UnknownState:
                unresolved[name] += 1
                continue
            codes.append(code)
            names.setdefault(code, name)
        surs.update(set(codes))
        upr_rows.append((number, row, codes))
    if other_bodies:
        result.notes.append(
            _(
                "{file}: {n} rows of other bodies than the UPR skipped",
                file=file,
                n=other_bodies,
            )
        )

    state, problems = pick_state(file, col["countries"], surs, names, state)
    if state is None:
        result.problems.extend(problems)
        return result
    result.sur = state
    if unresolved:
        shown = ", ".join(sorted(unresolved))
        result.notes.append(
            _(
                "{file}: rows naming a State under review that is not recognised were skipped: "
                "{shown}",
                file=file,
                shown=shown,
            )
        )

    raw_rows: list[RawRow] = []
    blank_positions = 0
    other_cycles: Counter = Counter()
    for number, row, codes in upr_rows:
        if state not in codes:
            continue
        problems = result.problems

        def get(role, row=row):
            return mapping.get(row, role)

        if len(codes) > 1:
            problems.append(
                Problem(
                    file,
                    number,
                    col["countries"],
                    _(
                        "the row names several States under review: {states}",
                        states=", ".join(list_items(get("countries"))),
                    ),
                )
            )
            continue
        text_cell = cell_text(get("text"))
        paragraph, text = split_paragraph(text_cell)
        ok = True
        if not text_cell:
            problems.append(Problem(file, number, col["text"], _("empty text")))
            ok = False
        elif paragraph is None:
            problems.append(
                Problem(
                    file,
                    number,
                    col["text"],
                    _(
                        "the text does not start with a paragraph number such as 110.1: {start}",
                        start=repr(text_cell[:40]),
                    ),
                )
            )
            ok = False
        elif not valid_paragraph(paragraph):
            problems.append(
                Problem(
                    file,
                    number,
                    col["text"],
                    _(
                        "{paragraph} is not a paragraph number such as 110.12 (no leading zero)",
                        paragraph=repr(paragraph),
                    ),
                )
            )
            ok = False
        elif not text:
            problems.append(
                Problem(
                    file,
                    number,
                    col["text"],
                    _("paragraph {paragraph}: no text", paragraph=paragraph),
                )
            )
            ok = False
        states = list_items(get("states"))
        if not states:
            problems.append(Problem(file, number, col["states"], _("no recommending State")))
            ok = False
        _codes, errors = resolve_states(states)
        for error in errors:
            problems.append(Problem(file, number, col["states"], error))
            ok = False
        position = get("position")
        response = response_code(position)
        if blank(position):
            response = "pending"
            blank_positions += 1
        elif response is None:
            problems.append(
                Problem(
                    file,
                    number,
                    col["position"],
                    _(
                        "unknown position {position} "
                        "(expected Supported, Noted or Supported/Noted)",
                        position=repr(single(position)),
                    ),
                )
            )
            ok = False
        found_cycle, document = _cycle(file, number, col, cycles, state, get, problems)
        if found_cycle is None:
            continue
        if cycle is not None and found_cycle != cycle:
            other_cycles[found_cycle] += 1
            continue
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
                    tags=_tags(get),
                    session=first_int(get("session")) if "session" in col else None,
                )
            )
    if blank_positions:
        result.notes.append(
            _(
                "{file}: {n} recommendations have no UPR Position: taken as pending",
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
        found = ", ".join(f"{names[c]} ({c})" for c in sorted(surs)) or _("none")
        result.problems.append(
            Problem(
                file,
                None,
                col["countries"],
                _(
                    "no UPR recommendation to {state} in cycle {cycle}; States under review "
                    "found: {found}",
                    state=state,
                    cycle=cycle,
                    found=found,
                )
                if cycle is not None
                else _(
                    "no UPR recommendation to {state}; States under review found: {found}",
                    state=state,
                    found=found,
                ),
            )
        )
        return result

    def sources(raw: RawRow) -> tuple[str, str | None]:
        major = raw.paragraph.split(".")[0] if raw.paragraph else "?"
        document = raw.document or "UN document"
        return (
            f"{document} para {major}; text as in the OHCHR UHRI export ({file})",
            f"OHCHR UHRI export ({file}), column {col['position']}",
        )

    col["cycle"] = col.get("session") or col["document"]  # where a cycle problem points
    recs, problems, notes = assemble(file, raw_rows, col, sources, note_merges=True)
    result.recommendations = recs
    result.problems.extend(problems)
    result.notes.extend(notes)
    return result


def _cycle(file, number, col, cycles: CycleIndex, sur, get, problems):
    """(cycle, document symbol) of a row, from its session or else its document symbol."""
    session = first_int(get("session")) if "session" in col else None
    document = single(get("document")) if "document" in col else ""
    by_session = cycles.by_session(sur, session) if session is not None else None
    by_document = cycles.by_document(sur, document) if document else None
    if by_session is not None and by_document is not None and by_session != by_document:
        problems.append(
            Problem(
                file,
                number,
                col["document"],
                _(
                    "document {document} is of cycle {by_document} but session {session} "
                    "of cycle {by_session}",
                    document=document,
                    by_document=by_document,
                    session=session,
                    by_session=by_session,
                ),
            )
        )
        return None, None
    found = by_session if by_session is not None else by_document
    if found is None:
        known = ", ".join(str(s) for s in cycles.sessions(sur)) or _("none")
        values = dict(session=session, document=repr(document), sur=sur, known=known)
        if session is not None and document:
            message = _(
                "session {session} and document {document} match no cycle of {sur} in the "
                "cycles table (its working-group sessions: {known})",
                **values,
            )
        elif session is not None:
            message = _(
                "session {session} matches no cycle of {sur} in the cycles table (its "
                "working-group sessions: {known})",
                **values,
            )
        elif document:
            message = _(
                "no session and document {document} match no cycle of {sur} in the cycles "
                "table (its working-group sessions: {known})",
                **values,
            )
        else:
            message = _(
                "no session matches no cycle of {sur} in the cycles table (its working-group "
                "sessions: {known})",
                **values,
            )
        problems.append(
            Problem(
                file,
                number,
                col.get("session") or col.get("document"),
                message,
            )
        )
        return None, None
    return found, document or None


# -- writing the layout (test fixtures, demonstrations) -------------------------------------------

POSITION_LABELS = {
    "supported": "Supported",
    "noted": "Noted",
    "partially_supported": "Supported/Noted",
    "pending": "",
}
GENERATED_NOTE = (
    "GENERATED FILE in the layout of the OHCHR UHRI export, written by upr_data.ingest."
    "write_uhri_layout for tests and demonstrations. It is not an OHCHR file."
)


def _bullets(items) -> str:
    if items is None or (not isinstance(items, list | tuple) and blank(items)):
        return ""
    if isinstance(items, str):
        items = [p.strip() for p in items.split(";") if p.strip()]
    return "\n".join(f"- {item}" for item in items)


def write_uhri_layout(frame: pd.DataFrame, path: Path, sur_name: str = "Cambodia") -> Path:
    """Write recommendations in the UHRI export layout (an .xlsx), clearly marked as generated.

    `frame` has the template's columns `cycle, rec_number, text, recommending_states, response`
    (States semicolon-separated or a list; response codes) and optionally `session`, `document`,
    `themes`, `groups`, `sdgs` (lists or semicolon-separated), `body` (default UPR) and
    `sur_name` (default the argument).
    """
    import openpyxl

    headers = [
        "Text",
        "Countries Concerned",
        "Reccomending Body",
        "Document Symbol",
        "Document Publication Date",
        "UPR Session",
        "UPR Reccomending States",
        "UPR Position",
        "Type",
        "Themes",
        "Affected Persons",
        "SDGs",
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Export"
    sheet.append(headers)
    for r in frame.to_dict(orient="records"):
        response = r.get("response")
        position = POSITION_LABELS.get(response, response) if isinstance(response, str) else ""
        sheet.append(
            [
                f"{r['rec_number']} {r['text']}",
                f"- {cell_text(r.get('sur_name')) or sur_name}",
                f"- {cell_text(r.get('body')) or UPR_BODY}",
                cell_text(r.get("document")),
                "",
                cell_text(r.get("session")),
                _bullets(r.get("recommending_states")),
                position,
                "- Recommendation",
                _bullets(r.get("themes")),
                _bullets(r.get("groups")),
                _bullets(r.get("sdgs")),
            ]
        )
    about = workbook.create_sheet("About")
    about.append([GENERATED_NOTE])
    workbook.properties.title = "GENERATED test fixture (UHRI layout)"
    workbook.properties.creator = "upr_data.ingest (generated)"
    path = Path(path)
    workbook.save(path)
    return path
