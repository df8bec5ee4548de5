"""The dashboard's queries in plain pandas: the baseline the DuckDB figures are compared with.

Same function names, arguments (the default counting basis, "paragraphs") and result columns as
`upr_data.queries`. `load` reads every table of the store with `pandas.read_parquet` and builds the
same derived tables as `queries.connect`; each query then filters with boolean masks, `isin` and
merges, and aggregates with `groupby`. Idiomatic pandas, no tricks either way: only the rows a
result needs are joined (e.g. the list's extra columns are computed for its page of rows only).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from upr_data import schema, store
from upr_data.filters import Filters

ROLES = tuple(schema.ROLES)
TABLES = ("cycles", "recommendations", "recommendation_states", "states", "tags", "assessments",
          "evidence", "evidence_links")  # the ones the queries read  # fmt: skip
NOT_ASSESSED = schema.NOT_ASSESSED


def load(store_dir: Path) -> SimpleNamespace:
    """Every table as a DataFrame (dates as datetime64), plus the derived tables."""
    _version, tables = store.read_tables(store_dir, list(TABLES))
    db = SimpleNamespace(**{name: table.to_pandas() for name, table in tables.items()})
    for name in ("assessments", "evidence", "cycles"):
        frame = getattr(db, name)
        column = "review_date" if name == "cycles" else "date"
        frame[column] = pd.to_datetime(frame[column])
    tags = db.tags
    curated = tags.loc[tags.provenance == "curator", ["rec_id", "scheme"]].drop_duplicates()
    overridden = tags.merge(curated, on=["rec_id", "scheme"], how="left", indicator=True)
    keep = (tags.provenance == "curator").to_numpy() | (overridden["_merge"] == "left_only")
    db.effective_tags = tags[keep.to_numpy()]
    a = db.assessments
    db.current_assessments = a[~_isin(a.assessment_id, a.supersedes.dropna())]
    db.latest_status = (
        db.current_assessments.sort_values(
            ["rec_id", "assessor_role", "date", "entered_at", "assessment_id"],
            ascending=[True, True, False, False, False],
            na_position="last",
        )
        .drop_duplicates(["rec_id", "assessor_role"])
        .loc[:, ["rec_id", "assessor_role", "status", "date", "assessor_org"]]
    )
    e = db.evidence
    db.current_evidence = e[~_isin(e.evidence_id, e.supersedes.dropna())]
    links = db.evidence_links
    db.current_links = links[_isin(links.evidence_id, db.current_evidence.evidence_id)]
    db.current_links = db.current_links.drop_duplicates()
    return db


def _isin(values: pd.Series, among) -> np.ndarray:
    """`values.isin(among)` for string columns. pandas 3.1's `isin` on its default `str` dtype
    converts the value set to Python objects one by one (~20 us each, 0.7 s for 40k values)
    before calling `pyarrow.compute.is_in`; this calls it directly."""
    return pc.is_in(pa.array(values), value_set=pa.array(among)).to_numpy(zero_copy_only=False)


# -- the filter --------------------------------------------------------------------------------


def _selection(db, f: Filters) -> pd.DataFrame:
    r = db.recommendations
    mask = np.ones(len(r), dtype=bool)
    if f.cycles:
        mask &= r.cycle.isin(f.cycles).to_numpy()
    if f.responses:
        mask &= _isin(r.response, f.responses)
    t = db.effective_tags
    for attr, scheme in (("themes", "theme"), ("groups", "group"), ("actions", "action_category")):
        if getattr(f, attr):
            tagged = t.rec_id[(t.scheme == scheme) & _isin(t.code, getattr(f, attr))]
            mask &= _isin(r.rec_id, tagged)
    rs = db.recommendation_states
    if f.states:
        mask &= _isin(r.rec_id, rs.rec_id[_isin(rs.state_iso3, f.states)])
    if f.regions:
        mask &= _isin(r.rec_id, rs.rec_id[_isin(rs.regional_group, f.regions)])
    ls = db.latest_status
    by_role = _isin(ls.assessor_role, f.roles) if f.roles else np.ones(len(ls), dtype=bool)
    if f.statuses:
        either = np.zeros(len(r), dtype=bool)
        real = [s for s in f.statuses if s != NOT_ASSESSED]
        if real:
            either |= _isin(r.rec_id, ls.rec_id[by_role & _isin(ls.status, real)])
        if NOT_ASSESSED in f.statuses:
            either |= ~_isin(r.rec_id, ls.rec_id[by_role])
        mask &= either
    elif f.roles:
        mask &= _isin(r.rec_id, ls.rec_id[by_role])
    if f.evidence:
        linked = _isin(r.rec_id, db.current_links.rec_id)
        mask &= linked if f.evidence == "with" else ~linked
    if f.text:
        found = r.text.str.contains(f.text, case=False, regex=False, na=False)
        mask &= (found | (r.paragraph == f.text) | (r.rec_id == f.text.upper())).to_numpy()
    return r[mask]


def _state_rows(db, sel: pd.DataFrame, f: Filters) -> pd.DataFrame:
    rs = db.recommendation_states
    keep = _isin(rs.rec_id, sel.rec_id)
    if f.states:
        keep &= _isin(rs.state_iso3, f.states)
    if f.regions:
        keep &= _isin(rs.regional_group, f.regions)
    return rs[keep]


def _tags(db, scheme: str, codes=()) -> pd.DataFrame:
    t = db.effective_tags
    keep = t.scheme == scheme
    if codes:
        keep &= _isin(t.code, codes)
    return t.loc[keep, ["rec_id", "code", "label"]]


# -- the queries -------------------------------------------------------------------------------


def summary(db, f: Filters) -> dict[str, int]:
    sel = _selection(db, f)
    srows = _state_rows(db, sel, f)
    response = sel.response
    return {
        "recommendations": len(sel),
        "supported": int((response == "supported").sum()),
        "partially_supported": int((response == "partially_supported").sum()),
        "noted": int((response == "noted").sum()),
        "pending": int((response == "pending").sum()),
        "assessed": int(_isin(sel.rec_id, db.latest_status.rec_id).sum()),
        "with_evidence": int(_isin(sel.rec_id, db.current_links.rec_id).sum()),
        "recommending_states": int(srows.state_iso3.nunique()),
        "state_recommendations": len(srows),
        "cycles": int(sel.cycle.nunique()),
    }


def count(db, f: Filters) -> int:
    return len(_selection(db, f))


def by_theme_response(db, f: Filters) -> pd.DataFrame:
    sel = _selection(db, f)
    d = sel[["rec_id", "response"]].merge(_tags(db, "theme", f.themes), on="rec_id")
    out = d.groupby(["code", "response"], as_index=False).agg(
        label=("label", "first"), n=("rec_id", "size")
    )
    out = out.rename(columns={"code": "theme"})[["theme", "label", "response", "n"]]
    return out.sort_values(["theme", "response"], ignore_index=True)


def _status_by(db, role: str, d: pd.DataFrame, dimension: str) -> pd.DataFrame:
    ls = db.latest_status
    d = d.merge(ls.loc[ls.assessor_role == role, ["rec_id", "status"]], on="rec_id", how="left")
    d["status"] = d["status"].fillna(NOT_ASSESSED)
    keys = [dimension, "response", "status"]
    out = d.groupby(keys, as_index=False).agg(label=("label", "first"), n=("rec_id", "size"))
    return out[[dimension, "label", "response", "status", "n"]].sort_values(keys, ignore_index=True)


def by_theme_status(db, f: Filters, role: str) -> pd.DataFrame:
    sel = _selection(db, f)
    d = sel[["rec_id", "response"]].merge(_tags(db, "theme", f.themes), on="rec_id")
    return _status_by(db, role, d.rename(columns={"code": "theme"}), "theme")


def by_action_status(db, f: Filters, role: str) -> pd.DataFrame:
    sel = _selection(db, f)
    d = sel[["rec_id", "response"]].merge(_tags(db, "action_category"), on="rec_id")
    return _status_by(db, role, d.rename(columns={"code": "action_category"}), "action_category")


def by_role_status(db, f: Filters) -> pd.DataFrame:
    sel = _selection(db, f)
    ls = db.latest_status
    ls = ls[_isin(ls.rec_id, sel.rec_id)]
    assessed = ls.groupby(["assessor_role", "status"], as_index=False).size()
    assessed = assessed.rename(columns={"assessor_role": "role", "size": "n"})
    per_role = assessed.groupby("role")["n"].sum().reindex(ROLES, fill_value=0)
    missing = pd.DataFrame({"role": ROLES, "status": NOT_ASSESSED, "n": len(sel) - per_role.values})
    out = pd.concat([assessed, missing[missing.n > 0]], ignore_index=True)
    return out.sort_values(["role", "status"], ignore_index=True)


def by_state(db, f: Filters) -> pd.DataFrame:
    sel = _selection(db, f)
    d = _state_rows(db, sel, f).merge(sel[["rec_id", "response", "cycle"]], on="rec_id")
    d = d.assign(
        supported=d.response == "supported",
        with_evidence=_isin(d.rec_id, db.current_links.rec_id),
        assessed=_isin(d.rec_id, db.latest_status.rec_id),
    )
    out = d.groupby(["state_iso3", "regional_group"], as_index=False).agg(
        recommendations=("rec_id", "nunique"),
        supported=("supported", "sum"),
        with_evidence=("with_evidence", "sum"),
        assessed=("assessed", "sum"),
        cycles=("cycle", lambda c: sorted(c.unique())),
    )
    names = db.states.set_index("iso3")["name"]
    out.insert(1, "name", out.state_iso3.map(names).fillna(out.state_iso3))
    out = out.rename(columns={"state_iso3": "iso3"})
    out = out.sort_values(["recommendations", "name"], ascending=[False, True], ignore_index=True)
    out["share_supported"] = out["supported"] / out["recommendations"]
    out["share_with_evidence"] = out["with_evidence"] / out["recommendations"]
    return out


def by_region(db, f: Filters) -> pd.DataFrame:
    sel = _selection(db, f)
    d = _state_rows(db, sel, f).merge(sel[["rec_id", "response"]], on="rec_id")
    d = d.assign(supported=d.response == "supported")
    out = d.groupby("regional_group", as_index=False).agg(
        states=("state_iso3", "nunique"),
        recommendations=("rec_id", "size"),
        supported=("supported", "sum"),
    )
    out = out.sort_values("recommendations", ascending=False, ignore_index=True)
    out["share_supported"] = out["supported"] / out["recommendations"]
    return out


def recommendations(db, f: Filters, limit: int = 5000) -> pd.DataFrame:
    sel = _selection(db, f)
    page = sel.sort_values(["sur", "cycle", "sort_key"]).head(limit)
    ids = page.rec_id
    rs = db.recommendation_states
    rs = rs[_isin(rs.rec_id, ids)].merge(
        db.states[["iso3", "name"]], how="left", left_on="state_iso3", right_on="iso3"
    )
    rs["name"] = rs["name"].fillna(rs.state_iso3)
    states = rs.sort_values("state_iso3").groupby("rec_id")["name"].agg("; ".join)
    themes = _tags(db, "theme")
    themes = themes[_isin(themes.rec_id, ids)].sort_values("code")
    actions = _tags(db, "action_category")
    links = db.current_links
    ls = db.latest_status
    ls = ls[_isin(ls.rec_id, ids)].pivot(index="rec_id", columns="assessor_role", values="status")
    out = page[["rec_id", "cycle", "paragraph", "text", "response"]].reset_index(drop=True)
    out["states"] = out.rec_id.map(states)
    codes = rs.sort_values("state_iso3").groupby("rec_id")["state_iso3"].agg(";".join)
    out["state_codes"] = out.rec_id.map(codes)
    out["themes"] = out.rec_id.map(themes.groupby("rec_id").code.agg(list))
    actions = actions[_isin(actions.rec_id, ids)]
    out["action_category"] = out.rec_id.map(actions.groupby("rec_id").code.min())
    out["evidence"] = out.rec_id.map(links[_isin(links.rec_id, ids)].groupby("rec_id").size())
    out["evidence"] = out["evidence"].fillna(0).astype("int64")
    for role in ROLES:
        out[f"status_{role}"] = out.rec_id.map(ls[role]) if role in ls else None
    return out


EVIDENCE_COLUMNS = ["evidence_id", "date", "date_precision", "role", "actor", "action_type",
                    "direction", "summary", "source_title", "source_url", "source_kind",
                    "publisher"]  # fmt: skip
ASSESSMENT_COLUMNS = ["assessment_id", "rec_id", "paragraph", "cycle", "status", "assessor_role",
                      "assessor_org", "date", "date_precision", "rationale", "evidence_url",
                      "source", "source_location"]  # fmt: skip


def _latest(frame: pd.DataFrame, key: str, limit: int) -> pd.DataFrame:
    """The `limit` most recent rows, oldest first, with `total`, the number before the cut."""
    cut = frame.sort_values(["date", key], ascending=False).head(limit)
    cut = cut.sort_values(["date", key], ignore_index=True)
    return cut.assign(total=len(frame))


def evidence_timeline(db, f: Filters, limit: int = 2000) -> pd.DataFrame:
    sel = _selection(db, f)
    links = db.current_links
    links = links[_isin(links.rec_id, sel.rec_id)].sort_values(["evidence_id", "rec_id"])
    per = links.groupby("evidence_id").rec_id.agg(rec_ids=list, recommendations="size")
    out = db.current_evidence[EVIDENCE_COLUMNS].merge(per, left_on="evidence_id", right_index=True)
    return _latest(out, "evidence_id", limit)


def assessment_timeline(db, f: Filters, limit: int = 2000) -> pd.DataFrame:
    sel = _selection(db, f)
    out = db.current_assessments.merge(sel[["rec_id", "paragraph", "cycle"]], on="rec_id")
    out["date_precision"] = out["date_precision"].fillna("day")
    return _latest(out[ASSESSMENT_COLUMNS], "assessment_id", limit)


def recent_changes(db, f: Filters, limit: int = 5) -> pd.DataFrame:
    ids = _selection(db, f).rec_id
    links = db.current_links
    e = db.current_evidence
    e = e[_isin(e.evidence_id, links.evidence_id[_isin(links.rec_id, ids)])]
    a = db.current_assessments
    a = a[_isin(a.rec_id, ids)]
    ev = pd.DataFrame(
        {
            "kind": "evidence",
            "date": e.date,
            "date_precision": e.date_precision,
            "role": e.role,
            "what": e.direction,
            "detail": e.summary,
            "published_by": e.publisher,
            "link": e.source_url,
            "entered_at": e.entered_at,
        }
    )
    asm = pd.DataFrame(
        {
            "kind": "assessment",
            "date": a.date,
            "date_precision": a.date_precision.fillna("day"),
            "role": a.assessor_role,
            "what": a.status,
            "detail": a.rec_id + ": " + a.rationale.fillna(""),
            "published_by": a.assessor_org,
            "link": a.evidence_url,
            "entered_at": a.entered_at,
        }
    )
    both = pd.concat([ev, asm], ignore_index=True)
    both = both.sort_values(["date", "entered_at"], ascending=False, na_position="last")
    return both.head(limit).reset_index(drop=True)


def coverage(db) -> pd.DataFrame:
    r = db.recommendations
    flags = r[["sur", "cycle", "rec_id"]].assign(
        loaded_supported=r.response == "supported",
        loaded_noted=r.response == "noted",
        loaded_partially_supported=r.response == "partially_supported",
    )
    loaded = flags.groupby(["sur", "cycle"]).agg(
        loaded=("rec_id", "nunique"),
        loaded_supported=("loaded_supported", "sum"),
        loaded_noted=("loaded_noted", "sum"),
        loaded_partially_supported=("loaded_partially_supported", "sum"),
    )
    rs = db.recommendation_states.merge(r[["rec_id", "sur", "cycle"]], on="rec_id")
    loaded["loaded_states"] = rs.groupby(["sur", "cycle"]).state_iso3.nunique()
    columns = [
        "sur",
        "cycle",
        "review_date",
        "wg_report",
        "official_recommendations",
        "official_supported",
        "official_noted",
        "official_recommending_states",
    ]
    out = db.cycles[columns].merge(loaded, how="left", left_on=["sur", "cycle"], right_index=True)
    out[list(loaded.columns)] = out[list(loaded.columns)].fillna(0).astype("int64")
    return out.sort_values(["sur", "cycle"], ignore_index=True)


def role_activity(db, f: Filters) -> pd.DataFrame:
    sel = _selection(db, f)
    links = db.current_links
    ev = links[_isin(links.rec_id, sel.rec_id)].merge(
        db.current_evidence[["evidence_id", "role"]], on="evidence_id"
    )
    a = db.current_assessments
    asm = a.loc[_isin(a.rec_id, sel.rec_id), ["assessor_role", "assessment_id", "rec_id"]]
    asm = asm.rename(columns={"assessor_role": "role"})
    covered = pd.concat([ev[["role", "rec_id"]], asm[["role", "rec_id"]]]).drop_duplicates()
    covered = covered[_isin(covered.rec_id, sel.rec_id[sel.response == "supported"])]
    return pd.DataFrame(
        {
            "role": ROLES,
            "evidence": ev.groupby("role")
            .evidence_id.nunique()
            .reindex(ROLES, fill_value=0)
            .values,
            "assessments": asm.groupby("role").size().reindex(ROLES, fill_value=0).values,
            "supported_covered": covered.groupby("role")
            .rec_id.nunique()
            .reindex(ROLES, fill_value=0)
            .values,
        }
    )


def disagreements(
    db, f: Filters, first: str = "government", second: str = "civil_society", limit: int = 5000
):
    sel = _selection(db, f)
    ls = db.latest_status
    d = sel[["rec_id", "paragraph", "text", "cycle", "sort_key"]]
    for role, prefix in ((first, "first"), (second, "second")):
        side = ls.loc[ls.assessor_role == role, ["rec_id", "status", "assessor_org"]]
        side = side.rename(columns={"status": f"{prefix}_status", "assessor_org": f"{prefix}_org"})
        d = d.merge(side, on="rec_id")
    d = d[d.first_status != d.second_status].sort_values(["cycle", "sort_key"], ignore_index=True)
    columns = ["rec_id", "paragraph", "text", "first_status", "first_org", "second_status",
               "second_org"]  # fmt: skip
    return d[columns].head(limit).assign(total=len(d))
