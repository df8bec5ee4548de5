"""The build from data/sources: real totals, clusters, history, determinism, and bad input."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from upr_data import build, queries, store
from upr_data.filters import Filters
from upr_data.problems import InputError


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.parquet"))
    }


@pytest.fixture
def built(tmp_path: Path, sources: Path) -> Path:
    build.build(tmp_path / "store", sources)
    return tmp_path / "store"


def test_real_counts(built: Path):
    db = queries.connect(built)
    cov = queries.coverage(db).set_index("cycle")
    assert cov.loc[1, ["loaded", "loaded_supported", "loaded_noted", "loaded_states"]].tolist() == [
        91,
        91,
        0,
        48,
    ]
    assert cov.loc[2, ["loaded", "loaded_supported", "loaded_noted", "loaded_states"]].tolist() == [
        205,
        163,
        42,
        72,
    ]
    assert cov.loc[3, "official_recommendations"] == 198 and cov.loc[3, "loaded"] == 0
    assert pd.isna(cov.loc[4, "official_recommendations"])
    assert queries.count(db, Filters()) == 296


def test_cluster_credits_every_state(built: Path):
    detail = queries.recommendation(queries.connect(built), "KHM-1-82.91")
    assert sorted(detail["states"]["iso3"]) == ["AGO", "AZE", "CUB", "EGY", "PAK"]
    assert detail["recommendation"].iloc[0]["document"] == "A/HRC/13/4"
    assert detail["recommendation"].iloc[0]["text_source"] == "A/HRC/13/4 para 82"


def test_position_changes_are_history(built: Path):
    history = store.read_table(built, "response_history").to_pandas()
    changed = history[history["stage"] == "later"]
    assert len(changed) == 8
    assert set(changed["response"]) == {"noted"}
    first = history[history["rec_id"].isin(changed["rec_id"]) & (history["seq"] == 1)]
    assert set(first["response"]) == {"supported"}
    assert "KHM-2-118.1" in set(changed["rec_id"])


def test_names_resolve_to_iso_codes(built: Path):
    rows = store.read_table(built, "recommendation_states").to_pandas()
    printed = dict(zip(rows["name_as_printed"], rows["state_iso3"], strict=False))
    assert printed["Venezuela (Bolivarian Republic of)"] == "VEN"
    assert printed["Bolivarian Republic of Venezuela"] == "VEN"
    assert printed["Democratic People\u2019s Republic of Korea"] == "PRK"
    assert printed["Republic of Korea"] == "KOR"
    assert printed["State of Palestine"] == "PSE"
    assert printed["Iran (Islamic Republic of)"] == "IRN"
    assert printed["Turkey"] == "TUR"
    assert rows["regional_group"].notna().all()


def test_evidence_is_loaded_as_sourced_and_nothing_is_assessed(built: Path):
    evidence = store.read_table(built, "evidence").to_pandas()
    assert len(evidence) == 40
    assert evidence["source_url"].str.startswith("http").all()
    assert evidence["direction"].value_counts().to_dict() == {
        "progress": 22,
        "regression": 13,
        "mixed": 5,
    }
    assert evidence.set_index("evidence_id").loc["KHM-EV-001", "date_precision"] == "month"
    links = store.read_table(built, "evidence_links").to_pandas()
    assert links["rec_id"].nunique() == 108
    assert store.read_table(built, "assessments").num_rows == 0


def test_every_recommendation_is_tagged_with_provenance(built: Path):
    tags = store.read_table(built, "tags").to_pandas()
    per = tags.groupby(["rec_id", "scheme"]).size().unstack(fill_value=0)
    assert len(per) == 296
    assert (per["action_category"] == 1).all()
    assert (per["theme"] >= 1).all()
    assert set(tags["provenance"]) == {"classifier"}
    assert tags["rule"].str.len().gt(0).all()


def test_build_is_deterministic(tmp_path: Path, sources: Path):
    build.build(tmp_path / "a", sources)
    build.build(tmp_path / "b", sources)
    assert fingerprint(tmp_path / "a") == fingerprint(tmp_path / "b")


def test_bundled_store_is_the_build_of_the_bundled_sources(tmp_path: Path):
    from upr_data.settings import DEFAULT_STORE

    build.build(tmp_path / "fresh")
    bundled = {k: v for k, v in fingerprint(DEFAULT_STORE).items() if k.endswith("base.parquet")}
    assert fingerprint(tmp_path / "fresh") == bundled


def _edit(path: Path, change) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(frame)
    frame.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "cambodia_cycle2_recommendations.csv",
            lambda f: f.drop(columns=["response"], inplace=True),
            "cambodia_cycle2_recommendations.csv, column 'response': missing column",
        ),
        (
            "cambodia_cycle2_recommendations.csv",
            lambda f: f.loc.__setitem__((4, "response"), "acepted"),
            "cambodia_cycle2_recommendations.csv, row 6, column 'response'",
        ),
        (
            "cambodia_cycle1_recommendations.csv",
            lambda f: f.loc.__setitem__((2, "recommending_states"), "Atlantis"),
            "cambodia_cycle1_recommendations.csv, row 4, column 'recommending_states': "
            "unknown State name 'Atlantis'",
        ),
        (
            "cambodia_cycle1_recommendations.csv",
            lambda f: f.loc.__setitem__((0, "rec_number"), "82.x"),
            "cambodia_cycle1_recommendations.csv, row 2, column 'rec_number'",
        ),
        (
            "cambodia_cycle1_recommendations.csv",
            lambda f: f.loc.__setitem__((1, "rec_number"), f.loc[0, "rec_number"]),
            "cambodia_cycle1_recommendations.csv, row 3, column 'rec_number'",
        ),
        (
            "progress_evidence.csv",
            lambda f: f.loc.__setitem__((0, "source_url"), "javascript:alert(1)"),
            "progress_evidence.csv, row 2, column 'source_url'",
        ),
        (
            "progress_evidence.csv",
            lambda f: f.loc.__setitem__((3, "rec_numbers"), "82.999"),
            "progress_evidence.csv, row 5, column 'rec_numbers': 82.999 matches no recommendation",
        ),
        (
            "progress_evidence.csv",
            lambda f: f.loc.__setitem__((0, "date"), "2999-01-01"),
            "progress_evidence.csv, row 2, column 'date': 2999-01-01 is in the future",
        ),
        (
            "un_regional_groups.csv",
            lambda f: f.loc.__setitem__((0, "regional_group"), "Mars"),
            "un_regional_groups.csv, row 2, column 'regional_group'",
        ),
    ],
)
def test_bad_input_is_named_and_changes_nothing(built: Path, sources: Path, file, change, expected):
    before = fingerprint(built)
    _edit(sources / file, change)
    with pytest.raises(InputError) as error:
        build.build(built, sources)
    assert expected in str(error.value)
    assert fingerprint(built) == before


def test_build_keeps_appended_parts(built: Path, sources: Path):
    extra = store.read_table(built, "evidence").slice(0, 1)
    extra = extra.set_column(0, "evidence_id", [["KHM-EV-900"]])
    store.append(built, {"evidence": extra})
    build.build(built, sources)
    ids = store.read_table(built, "evidence").column("evidence_id").to_pylist()
    assert "KHM-EV-900" in ids and len(ids) == 41
