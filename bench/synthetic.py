"""A SYNTHETIC store of N recommendations for the benchmark (never the real one).

Every text and source field says SYNTHETIC, the State under review is "SYN" and every document
symbol is "SYNTHETIC". Shape follows the real data: four cycles of growing size, paragraphs
numbered 100.1, 100.2, ..., 1-5 recommending States per paragraph (mostly one, a few clusters)
drawn with skewed weights from the real UN regional groups, 1-4 themes, 0-2 groups and one action
category each (a few corrected by a curator), ~85% supported / 15% noted with a few later changes,
assessments on ~20% of recommendations by several roles (some superseding earlier ones), and one
evidence item per ten recommendations, each linked to 1-6 of them.

    python bench/synthetic.py 100000 [folder]      # default folder: bench/out/store-100000
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from upr_data import countries, schema, store, taxonomy  # noqa: E402
from upr_data.settings import SOURCES_DIR  # noqa: E402

VERSION = 1  # bump when the generator changes: cached stores of another version are rebuilt
MARKER = "SYNTHETIC.json"
OUT = Path(__file__).resolve().parent / "out"
SUR = "SYN"
LABEL = "SYNTHETIC"
BENCH_STATE = "FRA"  # the most frequent recommending State (the bench's State filter)
CYCLE_SHARES = (0.15, 0.25, 0.30, 0.30)
PER_PARAGRAPH = 200  # recommendations per paragraph number: 100.1 ... 100.200, 101.1 ...
DAY0 = np.datetime64("2010-01-01")
DAYS = 365 * 15

VERBS = (
    "Continue efforts",
    "Take further measures",
    "Consider",
    "Adopt legislation",
    "Strengthen measures",
    "Ensure",
    "Redouble efforts",
    "Establish a mechanism",
)
TAILS = (
    "in line with international standards",
    "with the participation of civil society",
    "and allocate adequate resources to this end",
    "and report on progress at the next review",
    "in cooperation with the relevant UN agencies",
    "throughout the country",
)


def _pick(rng, n: int, k_probs, size: int, skew: float = 1.0, first=None) -> list[np.ndarray]:
    """Distinct codes (0..size-1) per row, k of them with probability k_probs[k], as
    len(k_probs) - 1 column arrays (-1 = none). The first is drawn with skewed weights."""
    k = rng.choice(len(k_probs), size=n, p=k_probs)
    weights = 1.0 / (np.arange(size) + 3.0) ** skew
    start = rng.choice(size, size=n, p=weights / weights.sum()) if first is None else first
    step = max(2, size // len(k_probs))
    offsets = np.cumsum(rng.integers(1, step, size=(n, len(k_probs))), axis=1)  # distinct, < size
    cols = [start] + [(start + offsets[:, j]) % size for j in range(len(k_probs) - 2)]
    return [np.where(k > j, c, -1) for j, c in enumerate(cols)]


def _long(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(row index, code) pairs of the non-empty cells, ordered by row."""
    rows = np.concatenate([np.flatnonzero(c >= 0) for c in columns])
    codes = np.concatenate([c[c >= 0] for c in columns])
    order = np.argsort(rows, kind="stable")
    return rows[order], codes[order]


def _strings(*parts) -> pa.Array:
    """Concatenate constant strings and arrays (numbers are formatted) element-wise."""
    arrays = [pa.array(p).cast(pa.string()) if isinstance(p, np.ndarray) else p for p in parts]
    return pc.binary_join_element_wise(*arrays, "")


def _take(values, idx: np.ndarray) -> pa.Array:
    return pa.array(list(values)).take(pa.array(idx))


def _dates(days: np.ndarray) -> np.ndarray:
    return DAY0 + days.astype("timedelta64[D]")


def _stamps(days: np.ndarray, rng) -> pa.Array:
    seconds = (days.astype(np.int64) + 3) * 86_400 + rng.integers(0, 86_400, size=len(days))
    return pa.array((DAY0.astype("datetime64[s]") + seconds).astype("datetime64[s]"))


def _states_table() -> pd.DataFrame:
    groups = pd.read_csv(SOURCES_DIR / "un_regional_groups.csv")
    groups["iso3"] = groups["state"].map(countries.to_iso3)
    groups["name"] = groups["iso3"].map(countries.display_name)
    groups = groups.sample(frac=1.0, random_state=1)  # weights fall with position: mix them
    frequent = groups["iso3"] == BENCH_STATE  # first, so the weights make it the most frequent
    return pd.concat([groups[frequent], groups[~frequent]], ignore_index=True)


def generate(n: int, seed: int = 0) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    ids = np.arange(n)

    # recommendations
    bounds = np.round(np.cumsum(CYCLE_SHARES) * n).astype(np.int64)
    cycle_idx = np.searchsorted(bounds, ids, side="right")
    pos = ids - np.concatenate([[0], bounds])[cycle_idx]
    major, minor = 100 + pos // PER_PARAGRAPH, pos % PER_PARAGRAPH + 1
    cycle = (cycle_idx + 1).astype(np.int16)
    paragraph = _strings(major, ".", minor)
    rec_id = _strings(f"{SUR}-", cycle, "-", paragraph)
    supported = rng.random(n) < 0.85
    response = np.where(supported, "supported", "noted")
    theme_codes, group_codes = list(taxonomy.THEMES), list(taxonomy.GROUPS)
    themes = _pick(rng, n, (0.0, 0.45, 0.30, 0.17, 0.08), len(theme_codes))
    text = _strings(
        f"{LABEL} recommendation ",
        ids,
        ": ",
        _take(VERBS, rng.integers(0, 8, n)),
        " to address ",
        _take([t.lower() for t in taxonomy.THEMES.values()], themes[0]),
        " ",
        _take(TAILS, rng.integers(0, 6, n)),
        ".",
    )
    recommendations = pa.table(
        {
            "rec_id": rec_id,
            "sur": pa.array(np.full(n, SUR)),
            "cycle": cycle,
            "paragraph": paragraph,
            "sort_key": major * 10_000 + minor,
            "text": text,
            "response": response,
            "document": pa.array(np.full(n, LABEL)),
            "text_source": _strings(f"{LABEL} report para ", major),
            "response_source": pa.array(np.full(n, f"{LABEL} responses")),
        }
    )

    # response history: one position each, a few changed later
    changed = np.flatnonzero(rng.random(n) < 0.02)
    first = response.copy()
    first[changed] = np.where(supported[changed], "noted", "supported")
    rows = np.concatenate([ids, changed])
    seq = np.concatenate([np.ones(n), np.full(len(changed), 2)]).astype(np.int16)
    order = np.lexsort((seq, rows))
    later = seq[order] == 2
    history = pa.table(
        {
            "rec_id": rec_id.take(rows[order]),
            "seq": seq[order],
            "response": np.concatenate([first, response[changed]])[order],
            "stage": np.where(later, "later", "adoption"),
            "note": pa.array(np.where(later, f"{LABEL} later change", None)),
            "source": pa.array(np.full(n + len(changed), LABEL)),
        }
    )

    # recommending States: skewed, 1-5 distinct per paragraph
    states = _states_table()
    picks = _pick(rng, n, (0.0, 0.82, 0.09, 0.05, 0.025, 0.015), len(states), skew=1.2)
    rs_rows, rs_codes = _long(picks)
    rec_states = pa.table(
        {
            "rec_id": rec_id.take(rs_rows),
            "state_iso3": states["iso3"].to_numpy()[rs_codes],
            "name_as_printed": states["state"].to_numpy()[rs_codes],
            "regional_group": states["regional_group"].to_numpy()[rs_codes],
        }
    )
    states_table = pa.table({c: states[c].to_numpy() for c in ("iso3", "name", "regional_group")})

    # tags: themes, groups, one action category; ~1% of themes and ~0.5% of actions by a curator
    action_codes = list(taxonomy.ACTION_CATEGORIES)
    action = rng.choice(len(action_codes), size=n, p=(0.05, 0.15, 0.10, 0.35, 0.35))
    groups = _pick(rng, n, (0.50, 0.35, 0.15), len(group_codes))
    curated_theme = np.where(rng.random(n) < 0.01, rng.integers(0, len(theme_codes), n), -1)
    curated_action = np.where(rng.random(n) < 0.005, rng.integers(0, 5, n), -1)
    parts = []
    for scheme, vocab, columns, provenance in (
        ("theme", taxonomy.THEMES, themes, "classifier"),
        ("group", taxonomy.GROUPS, groups, "classifier"),
        ("action_category", taxonomy.ACTION_CATEGORIES, [action], "classifier"),
        ("theme", taxonomy.THEMES, [curated_theme], "curator"),
        ("action_category", taxonomy.ACTION_CATEGORIES, [curated_action], "curator"),
    ):
        rows, codes = _long(columns)
        parts.append(
            pa.table(
                {
                    "rec_id": rec_id.take(rows),
                    "scheme": pa.array(np.full(len(rows), scheme)),
                    "code": _take(vocab, codes),
                    "label": _take(vocab.values(), codes),
                    "provenance": pa.array(np.full(len(rows), provenance)),
                    "rule": pa.array(np.full(len(rows), f"{LABEL} {provenance}")),
                }
            )
        )
    tags = pa.concat_tables(parts)
    tags = tags.take(pc.sort_indices(tags, [("rec_id", "ascending"), ("scheme", "ascending")]))

    # assessments: ~20% of recommendations, by one or more roles; some have an older assessment,
    # which the newer one supersedes (or, for some, simply predates)
    roles = list(schema.ROLES)
    role_p = {
        "government": 0.6,
        "recommending_state": 0.15,
        "civil_society": 0.5,
        "public": 0.1,
        "un": 0.25,
    }
    assessed = np.flatnonzero(rng.random(n) < 0.20)
    chosen = np.column_stack([rng.random(len(assessed)) < role_p[r] for r in roles])
    chosen[~chosen.any(axis=1), 0] = True
    pair_rec, pair_role = np.nonzero(chosen)
    pair_rec = assessed[pair_rec]
    m = len(pair_rec)
    day = rng.integers(365 * 3, DAYS, size=m)
    kind = rng.random(m)  # < 0.15: an older one superseded; < 0.25: an older one not superseded
    older = np.flatnonzero(kind < 0.25)
    a_rec = np.concatenate([pair_rec, pair_rec[older]])
    a_role = np.concatenate([pair_role, pair_role[older]])
    a_day = np.concatenate([day, day[older] - rng.integers(30, 1000, size=len(older))])
    total = len(a_rec)
    a_id = _strings(f"{LABEL}-A-", np.arange(total))
    supersedes = np.full(total, None, dtype=object)
    superseding = older[kind[older] < 0.15]
    old_index = m + np.flatnonzero(kind[older] < 0.15)
    supersedes[superseding] = np.asarray(a_id.take(pa.array(old_index)).to_pylist(), dtype=object)
    assessments = pa.table(
        {
            "assessment_id": a_id,
            "rec_id": rec_id.take(pa.array(a_rec)),
            "status": _take(schema.STATUSES, rng.choice(3, size=total, p=(0.35, 0.45, 0.20))),
            "assessor_role": _take(roles, a_role),
            "assessor_org": _strings(f"{LABEL} organisation ", rng.integers(1, 40, total)),
            "date": _dates(a_day),
            "rationale": pa.array(np.full(total, f"{LABEL} rationale")),
            "evidence_url": _strings("https://example.org/synthetic/assessment/", np.arange(total)),
            "source": pa.array(np.full(total, LABEL)),
            "source_location": pa.nulls(total, pa.string()),
            "date_precision": pa.nulls(total, pa.string()),  # null: a day
            "entered_by": pa.array(np.full(total, f"{LABEL} generator")),
            "entered_at": _stamps(a_day, rng),
            "supersedes": pa.array(supersedes, pa.string()),
        }
    )

    # evidence: one per ten recommendations, each linked to 1-6 of them
    e = max(1, n // 10)
    e_id = _strings(f"{LABEL}-E-", np.arange(e))
    start = rng.integers(0, n, size=e)
    links = _pick(rng, e, (0.0, 0.40, 0.25, 0.15, 0.10, 0.06, 0.04), n, first=start)
    link_rows, link_recs = _long([np.where(c >= 0, c % n, -1) for c in links])
    precision = rng.choice(3, size=e, p=(0.50, 0.35, 0.15))
    when = _dates(rng.integers(0, DAYS, size=e))
    when = np.where(precision == 1, when.astype("datetime64[M]").astype("datetime64[D]"), when)
    when = np.where(precision == 2, when.astype("datetime64[Y]").astype("datetime64[D]"), when)
    e_supersedes = np.full(e, None, dtype=object)
    later = np.flatnonzero((rng.random(e) < 0.02) & (np.arange(e) > 0))
    e_supersedes[later] = np.asarray(e_id.take(pa.array(later - 1)).to_pylist(), dtype=object)
    # The kind of source and the links' reasons come from a generator of their own, so that every
    # other column is what the same seed gave before they existed.
    extra = np.random.default_rng([seed, 14])
    kinds = list(schema.SOURCE_KINDS)
    evidence = pa.table(
        {
            "evidence_id": e_id,
            "date": when,
            "date_precision": _take(schema.DATE_PRECISIONS, precision),
            "role": _take(roles, rng.choice(5, size=e, p=(0.3, 0.05, 0.4, 0.1, 0.15))),
            "actor": _strings(f"{LABEL} actor ", rng.integers(1, 60, e)),
            "action_type": _take(schema.ACTION_TYPES, rng.integers(0, len(schema.ACTION_TYPES), e)),
            "direction": _take(schema.DIRECTIONS, rng.choice(4, size=e, p=(0.45, 0.25, 0.2, 0.1))),
            "summary": _strings(
                f"{LABEL} evidence ", np.arange(e), " on the recommendations linked"
            ),
            "source_title": pa.array(np.full(e, f"{LABEL} source")),
            "source_url": _strings("https://example.org/synthetic/evidence/", np.arange(e)),
            "source_kind": _take(kinds, extra.integers(0, len(kinds), e)),
            "publisher": pa.array(np.full(e, f"{LABEL} publisher")),
            "date_note": pa.nulls(e, pa.string()),
            "entered_by": pa.array(np.full(e, f"{LABEL} generator")),
            "entered_at": _stamps((when - DAY0).astype(np.int64), rng),
            "supersedes": pa.array(e_supersedes, pa.string()),
        }
    )
    reason = np.where(extra.random(len(link_rows)) < 0.5, LABEL, None)
    evidence_links = pa.table(
        {
            "evidence_id": e_id.take(pa.array(link_rows)),
            "rec_id": rec_id.take(pa.array(link_recs)),
            "reason": pa.array(reason, pa.string()),  # half null, half SYNTHETIC
        }
    )

    # cycles: the official figures are what was generated
    per_cycle = [np.flatnonzero(cycle == c) for c in range(1, len(CYCLE_SHARES) + 1)]
    rs_cycle = cycle[rs_rows]
    cycles = pa.table(
        {
            "sur": [SUR] * len(per_cycle),
            "cycle": np.arange(1, len(per_cycle) + 1, dtype=np.int16),
            "wg_session": np.arange(len(per_cycle), dtype=np.int16) * 12 + 6,
            "review_date": np.array(
                [f"{2009 + 5 * i}-12-01" for i in range(len(per_cycle))], dtype="datetime64[D]"
            ),
            "wg_report": [LABEL] * len(per_cycle),
            "responses_document": [LABEL] * len(per_cycle),
            "official_recommendations": [len(p) for p in per_cycle],
            "official_supported": [int(supported[p].sum()) for p in per_cycle],
            "official_noted": [int((~supported[p]).sum()) for p in per_cycle],
            "official_recommending_states": [
                len(np.unique(rs_codes[rs_cycle == c])) for c in range(1, len(per_cycle) + 1)
            ],
            "sources": [f"{LABEL} cycle figures"] * len(per_cycle),
        }
    )
    return {
        "cycles": cycles,
        "states": states_table,
        "recommendations": recommendations,
        "response_history": history,
        "recommendation_states": rec_states,
        "tags": tags,
        "assessments": assessments,
        "evidence": evidence,
        "evidence_links": evidence_links,
    }


def ensure(n: int, folder: Path | None = None, seed: int = 0, fresh: bool = False) -> Path:
    """The folder of a generated store of n recommendations, reused when already generated."""
    folder = folder or OUT / f"store-{n}"
    wanted = {"synthetic": True, "n": n, "seed": seed, "version": VERSION}
    marker = folder / MARKER
    found = json.loads(marker.read_text()) if marker.is_file() else {}
    if not fresh and {k: v for k, v in found.items() if k in wanted} == wanted:
        return folder
    if folder.exists():
        if not marker.is_file() and any(folder.iterdir()):
            raise SystemExit(f"{folder} exists and is not a synthetic store: not overwriting it")
        shutil.rmtree(folder)
    tables = {name: schema.empty_table(name) for name in schema.TABLES} | generate(n, seed)
    store.replace_base(folder, tables)
    rows = {name: t.num_rows for name, t in tables.items()}
    marker.write_text(json.dumps({**wanted, "rows": rows}, indent=2))
    return folder


if __name__ == "__main__":
    import time

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    began = time.perf_counter()
    path = ensure(size, target, fresh=True)
    print(
        f"{path}: {json.loads((path / MARKER).read_text())['rows']} "
        f"in {time.perf_counter() - began:.1f} s"
    )
