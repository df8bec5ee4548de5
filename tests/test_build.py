"""The build from data/sources: real totals, clusters, history, determinism, and bad input."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from upr_data import build, queries, schema, store
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


def test_evidence_is_loaded_as_sourced(built: Path):
    evidence = store.read_table(built, "evidence").to_pandas().set_index("evidence_id")
    assert len(evidence) == 216 >= 190
    assert evidence["source_url"].str.match(r"https?://\S+$").all()
    assert set(evidence["source_kind"]) == set(schema.SOURCE_KINDS)
    assert evidence["publisher"].str.strip().str.len().gt(0).all()
    assert evidence["direction"].value_counts().to_dict() == {
        "progress": 73,
        "regression": 74,
        "mixed": 50,
        "no_change": 19,
    }
    assert evidence.loc["KHM-EV-001", "date_precision"] == "month"
    assert (evidence.loc["KHM-EV-001", "source_kind"], evidence.loc["KHM-EV-001", "publisher"]) == (
        "media",
        "Cambodian Law blog (cambodianlaw.wordpress.com)",
    )
    # the test mirror of the OHCHR release is replaced by VOA Khmer's report of the same reaction
    assert evidence.loc["KHM-EV-017", "source_url"].startswith("https://www.voacambodia.com/")
    assert not evidence["source_url"].str.contains("un-icc.cloud").any()
    assert set(evidence["entered_by"]) == {"source file evidence.csv"}
    links = store.read_table(built, "evidence_links").to_pandas()
    assert len(links) == 705 and links["rec_id"].nunique() == 199
    assert set(links["evidence_id"]) == set(evidence.index)
    # every link says why the item bears on the recommendation
    assert links["reason"].str.strip().str.len().gt(0).all()


def test_assessments_are_only_those_a_source_states(built: Path):
    assessments = store.read_table(built, "assessments").to_pandas()
    assert len(assessments) == 6
    assert set(assessments["assessor_role"]) == {"civil_society"}
    assert set(assessments["status"]) == {"not_implemented"}
    assert assessments["source"].str.startswith("Gender and Women's Rights").all()
    assert assessments["source_location"].str.contains("previous UPR cycles").all()
    assert assessments["evidence_url"].str.startswith("http").all()
    assert set(assessments["date_precision"]) == {"year"}
    assert set(assessments["entered_by"]) == {"source file assessments_sourced.csv"}
    assert sorted(assessments["rec_id"]) == [
        "KHM-2-118.150",
        "KHM-2-118.151",
        "KHM-2-118.161",
        "KHM-2-118.53",
        "KHM-2-118.65",
        "KHM-2-118.94",
    ]


def test_every_recommendation_is_tagged_with_provenance(built: Path):
    tags = store.read_table(built, "tags").to_pandas()
    per = tags.groupby(["rec_id", "scheme"]).size().unstack(fill_value=0)
    assert len(per) == 296
    assert (per["action_category"] == 1).all()
    assert (per["theme"] >= 1).all()
    assert set(tags["provenance"]) == {"classifier"}
    assert tags["rule"].str.len().gt(0).all()


def test_build_is_deterministic(tmp_path: Path, sources: Path):
    """Same sources, same tables; and the bundled files it writes are the same bytes."""
    tables = build.read_sources(sources)
    store.write_bundled(tables, tmp_path / "a")
    store.write_bundled(build.read_sources(sources), tmp_path / "b")
    assert fingerprint(tmp_path / "a") == fingerprint(tmp_path / "b")
    build.build(tmp_path / "lake", sources)
    for name, table in tables.items():
        assert store.read_table(tmp_path / "lake", name).equals(store._conform(name, table))


def test_bundled_store_is_the_build_of_the_bundled_sources(tmp_path: Path):
    from upr_data.settings import BUNDLED_DIR

    store.write_bundled(build.read_sources(), tmp_path / "fresh")
    bundled = {k: v for k, v in fingerprint(BUNDLED_DIR).items() if k.endswith("base.parquet")}
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
            "evidence.csv",
            lambda f: f.loc.__setitem__((0, "source_url"), "javascript:alert(1)"),
            "evidence.csv, row 2, column 'source_url'",
        ),
        (
            "evidence.csv",
            lambda f: f.loc.__setitem__((0, "date"), "2999-01-01"),
            "evidence.csv, row 2, column 'date': 2999-01-01 is in the future",
        ),
        (
            "evidence.csv",
            lambda f: f.loc.__setitem__((2, "date"), ""),
            "evidence.csv, row 4, column 'date'",
        ),
        (
            "evidence.csv",
            lambda f: f.loc.__setitem__((1, "source_kind"), ""),
            "evidence.csv, row 3, column 'source_kind'",
        ),
        (
            "evidence.csv",
            lambda f: f.loc.__setitem__((1, "source_kind"), "blog"),
            "evidence.csv, row 3, column 'source_kind'",
        ),
        (
            "evidence.csv",
            lambda f: f.drop(columns=["publisher"], inplace=True),
            "evidence.csv, column 'publisher': missing column",
        ),
        (
            "evidence.csv",
            lambda f: f.loc.__setitem__((1, "evidence_id"), f.loc[0, "evidence_id"]),
            "evidence.csv, row 3, column 'evidence_id': KHM-EV-001 repeats row 2",
        ),
        (
            "evidence_links.csv",
            lambda f: f.drop(index=f.index[f["evidence_id"] == "KHM-EV-002"], inplace=True),
            "evidence.csv, row 3, column 'evidence_id': KHM-EV-002 has no link in "
            "evidence_links.csv",
        ),
        (
            "evidence_links.csv",
            lambda f: f.loc.__setitem__((3, "rec_id"), "KHM-1-82.999"),
            "evidence_links.csv, row 5, column 'rec_id': unknown recommendation KHM-1-82.999",
        ),
        (
            "evidence_links.csv",
            lambda f: f.loc.__setitem__((3, "evidence_id"), "KHM-EV-999"),
            "evidence_links.csv, row 5, column 'evidence_id': KHM-EV-999 is not in evidence.csv",
        ),
        (
            "evidence_links.csv",
            lambda f: f.loc.__setitem__((3, "reason"), " "),
            "evidence_links.csv, row 5, column 'reason'",
        ),
        (
            "assessments_sourced.csv",
            lambda f: f.loc.__setitem__((0, "status"), "done"),
            "assessments_sourced.csv, row 2, column 'status'",
        ),
        (
            "assessments_sourced.csv",
            lambda f: f.loc.__setitem__((0, "passage_location"), ""),
            "assessments_sourced.csv, row 2, column 'passage_location'",
        ),
        (
            "assessments_sourced.csv",
            lambda f: f.loc.__setitem__((0, "rec_id"), "KHM-2-118.999"),
            "assessments_sourced.csv, row 2, column 'rec_id': unknown recommendation",
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
    assert "KHM-EV-900" in ids and len(ids) == 217


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman", "utf-16"])
def test_sources_saved_in_another_encoding_build_the_same(tmp_path: Path, sources: Path, encoding):
    """A spreadsheet program re-saving a source file changes its encoding, not its content."""
    path = sources / "cambodia_cycle2_recommendations.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    rebuilt = build.read_sources(sources)["recommendations"]
    assert rebuilt.equals(build.read_sources()["recommendations"])


def test_a_source_that_is_not_text_is_named(sources: Path):
    (sources / "cambodia_cycle2_recommendations.csv").write_bytes(b"\x00\x01binary" * 20)
    with pytest.raises(InputError) as error:
        build.read_sources(sources)
    assert str(error.value.problems[0]).startswith(
        "cambodia_cycle2_recommendations.csv: cannot read the file: the file holds NUL bytes"
    )
