"""Display-ready tables: query results with translated column names and readable values."""

from __future__ import annotations

from datetime import date

import pandas as pd

from . import i18n, schema, taxonomy
from .countries import display_name
from .filters import STATUS_CHOICES
from .i18n import _, ngettext


def _label(labels: dict[str, str]):
    return lambda code: _(labels[code]) if isinstance(code, str) and code in labels else code


def with_labels(
    frame: pd.DataFrame, column: str, vocabulary: dict[str, str], numbered: bool = False
) -> pd.DataFrame:
    """`frame` with a translated `label` column for the codes in `column`."""

    def label(code: str) -> str:
        text = _(vocabulary.get(code, code))
        return _("{code}: {label}", code=code, label=text) if numbered else text

    return frame.assign(label=frame[column].map(label))


def format_date(value, precision: str) -> str:
    """A date as precise as its source: 2019, 2019-07 or 2019-07-26."""
    if pd.isna(value):
        return ""
    text = pd.Timestamp(value).strftime("%Y-%m-%d")
    return {"year": text[:4], "month": text[:7]}.get(precision, text)


def coverage(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per cycle: official totals beside what is loaded, and a verdict."""
    rows = []
    for r in frame.itertuples(index=False):
        official = None if pd.isna(r.official_recommendations) else int(r.official_recommendations)
        if r.loaded == 0:
            verdict = _("not loaded")
        elif official is None:
            verdict = _("loaded; no official total to compare")
        elif official == r.loaded:
            verdict = _("loaded, matches the official total")
        else:
            verdict = _("loaded, differs from the official total")
        rows.append(
            {
                _("Cycle"): int(r.cycle),
                # A value the store does not hold reads "not known", never "None" or "nan".
                _("Review"): format_date(r.review_date, "day") or _("not known"),
                _("Report"): r.wg_report if isinstance(r.wg_report, str) else _("not known"),
                _("Official total"): "—" if official is None else str(official),
                _("Official supported / noted"): "—"
                if official is None
                else f"{int(r.official_supported)} / {int(r.official_noted)}",
                _("Loaded"): str(int(r.loaded)),
                _("Loaded supported / noted"): f"{int(r.loaded_supported)} / {int(r.loaded_noted)}",
                _("Status"): verdict,
            }
        )
    return pd.DataFrame(rows)


def coverage_note(frame: pd.DataFrame) -> str:
    from .missing import cycle_phrase, from_coverage

    parts = [cycle_phrase(m) for m in from_coverage(frame)[0]]
    if not parts:
        return _("Every known cycle is loaded.")
    return ngettext(
        "Not loaded: {cycles}. Figures on every page cover the loaded cycle only; an editor can "
        "load the missing cycle from the official UN export.",
        "Not loaded: {cycles}. Figures on every page cover the loaded cycles only; an editor can "
        "load the missing cycles from the official UN export.",
        len(parts),
        cycles="; ".join(parts),
    )


def recent(frame: pd.DataFrame) -> pd.DataFrame:
    kinds = {"evidence": _("Evidence"), "assessment": _("Assessment")}
    what = {**schema.DIRECTIONS, **schema.STATUSES}
    return pd.DataFrame(
        {
            _("Date"): [
                format_date(d, p)
                for d, p in zip(frame["date"], frame["date_precision"], strict=True)
            ],
            _("Kind"): frame["kind"].map(kinds),
            _("Role"): frame["role"].map(_label(schema.ROLES)),
            _("What"): frame["what"].map(_label(what)),
            _("Detail"): frame["detail"],
            _("Published by"): frame["published_by"].fillna(""),
            _("Source"): frame["link"],
        }
    )


RECENT_YEARS = 5  # "recent" evidence: dated in this many calendar years, this one included


def recent_since(today: date | None = None) -> date:
    """The first day of the recent years (2022-01-01 in 2026)."""
    return date((today or date.today()).year - RECENT_YEARS + 1, 1, 1)


def evidence_recency(recency: dict, n: int, since: date) -> str:
    """How many of the `n` selected recommendations have evidence, and how recent it is (from
    `queries.evidence_recency`)."""
    if recency["items"] == 0:
        return _("No evidence is recorded for this selection yet.")
    return ngettext(
        "Evidence bears on {with_evidence} of {n} recommendation ({items} dated pieces of "
        "evidence). The newest is dated {latest}; {recent} of them have evidence from {year} "
        "or later.",
        "Evidence bears on {with_evidence} of {n} recommendations ({items} dated pieces of "
        "evidence). The newest is dated {latest}; {recent} of them have evidence from {year} "
        "or later.",
        n,
        with_evidence=recency["with_evidence"],
        items=recency["items"],
        latest=format_date(recency["latest"], recency["latest_precision"] or "day"),
        recent=recency["with_recent"],
        year=since.year,
    )


def theme_labels(codes) -> str:
    if codes is None or not hasattr(codes, "__len__") or len(codes) == 0:
        return ""  # no theme tag: NULL from the query
    return "; ".join(_(taxonomy.THEMES.get(code, code)) for code in codes)


def recommendations(frame: pd.DataFrame) -> pd.DataFrame:
    """The Explore table."""
    out = pd.DataFrame(
        {
            _("Id"): frame["rec_id"],
            _("Cycle"): frame["cycle"],
            _("No."): frame["paragraph"],
            _("Recommendation"): frame["text"],
            _("Recommending States"): _state_names(frame),
            _("Response"): frame["response"].map(_label(schema.RESPONSES)),
            _("Themes"): frame["themes"].map(theme_labels),
            _("Action category"): frame["action_category"].map(_label(taxonomy.ACTION_CATEGORIES)),
            _("Evidence"): frame["evidence"],
        }
    )
    for role, role_label in schema.ROLES.items():
        column = frame[f"status_{role}"].map(_label(STATUS_CHOICES)).fillna(_("Not assessed"))
        out[_("Status: {role}", role=_(role_label))] = column
    return out


def _state_names(frame: pd.DataFrame) -> pd.Series:
    """The recommending States as the store names them, or in the reader's language (Babel's
    names for the ISO codes) when that is not English."""
    if i18n.current_locale() == i18n.DEFAULT_LOCALE or "state_codes" not in frame:
        return frame["states"]
    return frame["state_codes"].map(
        lambda codes: "; ".join(display_name(c) for c in codes.split(";")) if codes else ""
    )


def regions(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Regional group"): frame["regional_group"].map(_label(schema.REGIONAL_GROUPS)),
            _("States"): frame["states"],
            _("Recommendations (by State)"): frame["recommendations"],
            _("Supported"): frame["supported"],
            _("Share supported"): (frame["share_supported"] * 100).round().astype(int).astype(str)
            + " %",
        }
    )


def evidence(frame: pd.DataFrame) -> pd.DataFrame:
    dates = zip(frame["date"], frame["date_precision"], strict=True)
    return pd.DataFrame(
        {
            _("Date"): [format_date(d, p) for d, p in dates],
            _("Direction"): frame["direction"].map(_label(schema.DIRECTIONS)),
            _("Role"): frame["role"].map(_label(schema.ROLES)),
            _("Actor"): frame["actor"],
            _("What happened"): frame["summary"],
            _("Recommendations"): frame["rec_ids"].map(lambda ids: ", ".join(ids)),
            _("Kind of source"): frame["source_kind"].map(_label(schema.SOURCE_KINDS)).fillna(""),
            _("Publisher"): frame["publisher"].fillna(""),
            _("Source title"): frame["source_title"],
            _("Source"): frame["source_url"],
        }
    )


def evidence_counts(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The table of `queries.evidence_by_theme` (dimension "theme") or `evidence_by_kind`
    ("source_kind"): one row per theme or kind of source and year."""
    if dimension == "theme":
        first = {_("Theme"): frame["theme"].map(_label(taxonomy.THEMES))}
    else:
        kinds = schema.SOURCE_KIND_CHOICES
        first = {_("Kind of source"): frame["source_kind"].map(_label(kinds))}
    return pd.DataFrame(
        {
            **first,
            _("Year"): frame["year"],
            _("Pieces of evidence"): frame["n"],
            **{_(label): frame[code] for code, label in schema.DIRECTIONS.items()},
        }
    )


def assessments(frame: pd.DataFrame) -> pd.DataFrame:
    dates = zip(frame["date"], frame["date_precision"].fillna("day"), strict=True)
    return pd.DataFrame(
        {
            _("Date"): [format_date(d, p) for d, p in dates],
            _("Recommendation"): frame["rec_id"],
            _("Status"): frame["status"].map(_label(STATUS_CHOICES)),
            _("Role"): frame["assessor_role"].map(_label(schema.ROLES)),
            _("Organisation"): frame["assessor_org"],
            _("Rationale"): frame["rationale"],
            _("Source document"): frame["source"].fillna(""),
            _("Where in the source"): frame["source_location"].fillna(""),
            _("Evidence"): frame["evidence_url"],
        }
    )


def role_activity(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Stakeholder role"): frame["role"].map(_label(schema.ROLES)),
            _("Evidence recorded"): frame["evidence"],
            _("Assessments"): frame["assessments"],
            _("Supported recommendations covered"): frame["supported_covered"],
        }
    )


def recurring(chains: pd.DataFrame, listing: pd.DataFrame, selected: set[str]) -> pd.DataFrame:
    """One row per issue recommended in several cycles that touches the selection: the cycles,
    the ids, the latest recommendation's response and its latest status by government and by
    civil society (never merged)."""
    rows = []
    recs = listing.set_index("rec_id")
    for _chain, members in chains.groupby("chain"):
        ids = [r for r in members["rec_id"] if r in recs.index]
        if not ids or not selected.intersection(ids):
            continue
        part = recs.loc[ids]
        order = sorted(range(len(part)), key=lambda i: (
            part["cycle"].iloc[i], *map(int, part["paragraph"].iloc[i].split("."))))  # fmt: skip
        part = part.iloc[order]
        latest = part.iloc[-1]
        codes = sorted(
            {c for themes in part["themes"] if hasattr(themes, "__len__") for c in themes}
        )
        rows.append({
            _("Themes"): theme_labels(codes),
            _("Cycles"): ", ".join(str(c) for c in sorted(part["cycle"].unique())),
            _("Latest recommendation"): latest["text"],
            _("Latest response"): _label(schema.RESPONSES)(latest["response"]),
            _("Government's latest status"): _label(STATUS_CHOICES)(
                latest["status_government"] or "not_assessed"),
            _("Civil society's latest status"): _label(STATUS_CHOICES)(
                latest["status_civil_society"] or "not_assessed"),
            _("Evidence items"): int(part["evidence"].sum()),
            _("Recommendations"): ", ".join(part.index),
            "_cycles": part["cycle"].nunique(), "_size": len(part),
        })  # fmt: skip
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values(["_cycles", "_size"], ascending=False, kind="stable")
    return frame.drop(columns=["_cycles", "_size"]).reset_index(drop=True)
