"""Our own template: the columns of data/sources/*_recommendations.csv.

`cycle, rec_number, text, recommending_states, response, text_source, response_source,
response_note` — one row per paragraph, States semicolon-separated, response codes. Rows are
validated by the build's own model (`build.RecommendationRow`), and a position change recorded in
`response_note` ("...; Cambodia later changed its position to noted.") becomes history exactly as
in the build. Headers are matched tolerantly (case, spaces). The file names no State under review:
it is `state`, by default the project's (settings.STATE_UNDER_REVIEW).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .. import build, settings
from ..i18n import _
from ..problems import Problem
from ..validation import read_csv, validate_rows
from .assemble import pick_state
from .headers import Column, map_headers
from .model import CycleIndex, ParsedRecommendation, ParsedRecommendations, Position

FIELDS = list(build.RecommendationRow.model_fields)
OPTIONAL = {"response_source", "response_note"}
COLUMNS = [Column(name, name, (name.replace("_", " "),), name not in OPTIONAL) for name in FIELDS]


def read_template(
    path: Path,
    cycles: CycleIndex | None = None,
    state: str | None = None,
    cycle: int | None = None,
) -> ParsedRecommendations:
    path = Path(path)
    file = path.name
    sur, problems = pick_state(file, "state", Counter(), {}, state or settings.STATE_UNDER_REVIEW)
    result = ParsedRecommendations(file=file, kind="template", sur=sur, problems=problems)
    if sur is None:
        return result
    try:
        frame = read_csv(path)
    except Exception as error:
        result.problems.append(
            Problem(file, None, None, _("cannot read the file as CSV: {error}", error=error))
        )
        return result
    mapping = map_headers(list(frame.columns), COLUMNS)
    result.problems.extend(mapping.problems(file, 1))
    result.notes.extend(mapping.notes(file))
    if result.problems:
        return result
    frame = frame.rename(columns={mapping.printed[r]: r for r in mapping.printed})
    for name in OPTIONAL - set(frame.columns):
        frame[name] = ""
    rows, problems = validate_rows(file, frame, build.RecommendationRow)
    result.problems.extend(problems)
    columns = {
        "text": "text",
        "states": "recommending_states",
        "position": "response",
        "cycle": "cycle",
    }
    seen: dict[tuple[int, str], int] = {}
    for number, row in rows:
        if cycle is not None and row.cycle != cycle:
            continue
        key = (row.cycle, row.rec_number)
        if key in seen:
            result.problems.append(
                Problem(
                    file,
                    number,
                    "rec_number",
                    _(
                        "duplicate paragraph number: {paragraph} (cycle {cycle}) is already on "
                        "row {row}",
                        paragraph=row.rec_number,
                        cycle=row.cycle,
                        row=seen[key],
                    ),
                )
            )
            continue
        seen[key] = number
        rid = build.rec_id(sur, row.cycle, row.rec_number)
        history = tuple(
            Position(h["response"], h["stage"], h["note"], h["source"])
            for h in build._history(rid, row)
        )
        result.recommendations.append(
            ParsedRecommendation(
                cycle=row.cycle,
                paragraph=row.rec_number,
                text=row.text,
                states=tuple(dict.fromkeys(row.recommending_states)),
                response=row.response,
                document=build._document(row.text_source),
                text_source=row.text_source,
                response_source=row.response_source,
                history=history,
                row=number,
                columns=columns,
            )
        )
    if not result.recommendations and not result.problems:
        message = (
            _("no recommendation of cycle {cycle} in the file", cycle=cycle)
            if cycle is not None
            else _("no recommendation in the file")
        )
        result.problems.append(Problem(file, None, None, message))
    return result
