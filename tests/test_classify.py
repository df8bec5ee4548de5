"""The rule-based classifier, on real recommendations from data/sources (official UN texts)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from upr_data import classify as classify_module
from upr_data import taxonomy
from upr_data.classify import RULES_DOC, Tag, classify, split_recommendations

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"


@pytest.fixture(scope="module")
def recs() -> pd.DataFrame:
    files = sorted(SOURCES.glob("cambodia_cycle*_recommendations.csv"))
    return pd.concat([pd.read_csv(f, dtype=str) for f in files], ignore_index=True)


def real(recs: pd.DataFrame, cycle: int, rec_number: str, quoted: str) -> str:
    """The official text of a paragraph, checked against the quotation in the test."""
    row = recs[(recs.cycle == str(cycle)) & (recs.rec_number == rec_number)]
    assert len(row) == 1, (cycle, rec_number)
    text = row.text.iloc[0]
    assert text.startswith(quoted), (rec_number, text)
    return text


def action(text: str) -> Tag:
    (tag,) = [t for t in classify(text) if t.scheme == "action_category"]
    return tag


def codes(text: str, scheme: str) -> set[str]:
    return {t.code for t in classify(text) if t.scheme == scheme}


# --- action category ----------------------------------------------------------------------------

ACTION_CASES = [
    # (cycle, paragraph, start of the official text, expected category)
    (2, "118.3", "Ratify the Second Optional Protocol to the International Covenant on Civil", "5"),
    (2, "119.5", "Sign and ratify the Agreement on the Privileges and Immunities", "5"),
    (2, "118.11", "Take steps to ratify the UNESCO Convention against Discrimination", "5"),
    (1, "82.35", "Adopt a law against corruption", "5"),
    (1, "82.30", "On sexual violence against women, undertake due and timely investigations", "5"),
    (1, "82.36", "Swiftly review and pass the anti-corruption law", "5"),
    (1, "82.3", "Consider ratifying CRPD and ensuring its full implementation", "3"),
    (2, "118.7", "Consider ratifying the International Convention on the Protection", "3"),
    (2, "118.4", "Continue exploring possibilities to extend its international commitments", "3"),
    (2, "118.75", "Continue efforts to combat trafficking in persons", "2"),
    (1, "82.89", "Continue to strengthen the economic, political and social development", "2"),
    (2, "118.82", "Take all necessary measures to guarantee the independence of justice", "4"),
    (1, "82.58", "Take all necessary measures to ensure that the trade union rights", "4"),
    (2, "118.115", "Protect the rights of human rights defenders", "4"),
    (1, "82.87", "Through appropriate international assistance, seek to strengthen", "4"),
    (2, "118.121", "The parties concerned should promote dialogue and cooperation", "4"),
    (1, "82.82", "Continue to seek technical assistance in drafting legislation", "1"),
    (2, "119.19", "Seek technical assistance from OHCHR and from the Special Rapporteur", "1"),
]


@pytest.mark.parametrize(("cycle", "para", "quoted", "expected"), ACTION_CASES)
def test_action_category_from_leading_verb(recs, cycle, para, quoted, expected):
    tag = action(real(recs, cycle, para, quoted))
    assert tag.code == expected, tag.rule
    assert tag.rule.startswith(f"action_category.{expected}: ")
    assert tag.label == taxonomy.ACTION_CATEGORIES[expected]


def test_rule_names_the_verb(recs):
    text = real(recs, 2, "118.3", "Ratify the Second Optional Protocol")
    assert action(text).rule == "action_category.5: leading verb 'ratify'"
    text = real(recs, 1, "82.3", "Consider ratifying CRPD")
    assert "'consider'" in action(text).rule


def test_clustered_paragraph_takes_highest_part(recs):
    text = real(recs, 1, "82.91", "(a) Continue to cooperate and seek technical assistance")
    assert len(split_recommendations(text)) == 5
    tag = action(text)
    # (a), (c), (d) continue = 2; (b) cooperate and (e) strengthen = 4.
    assert tag.code == "4"
    assert tag.rule.startswith("action_category.4: cluster of 5 recommendations [2,4,2,2,4]")
    assert "highest category taken" in tag.rule

    text = real(recs, 1, "82.46", "(a) Ensure that the freedom of expression and of the press")
    tag = action(text)
    assert tag.code == "5"
    assert "[4,3,4,4,5]" in tag.rule and "part 5: leading verb 'define'" in tag.rule


def test_splitting_keeps_acronyms_and_bracketed_state_names(recs):
    # Unlettered cluster of four States' recommendations.
    text = real(recs, 1, "82.7", "Expedite operationalization of an independent human rights")
    assert len(split_recommendations(text)) == 4
    # "(CED)", "(CRPD)", "(ICCPR)" are not State brackets.
    text = real(recs, 1, "82.1", "Consider ratifying the International Convention")
    assert len(split_recommendations(text)) == 1
    # A State name with its own brackets is removed whole.
    text = real(recs, 2, "118.170", "Intensify its endeavours to implement effectively")
    (part,) = split_recommendations(text)
    assert part.endswith("Rights of Persons with Disabilities")


# --- themes and groups --------------------------------------------------------------------------

THEME_CASES = [
    (2, "119.31", "In parallel with its ongoing work on land titling", {"land_housing"}),
    (1, "82.64", "(a) Fully implement the 2001 land law", {"land_housing"}),
    (2, "118.29", "Rapidly create a national human rights institution", {"nhri"}),
    (2, "118.3", "Ratify the Second Optional Protocol", {"death_penalty", "ratification"}),
    (2, "118.2", "Ratify Optional Protocols 1 and 2 to ICCPR", {"death_penalty", "ratification"}),
    (2, "118.56", "Continue its efforts for the elimination of discrimination", {"women"}),
    (1, "82.4", "Consider early ratification of OP-CEDAW", {"women", "ratification"}),
    (1, "82.79", "As recommended by the Committee on the Rights of the Child", {"children"}),
    (1, "82.58", "Take all necessary measures to ensure that the trade union rights", {"labour"}),
    (2, "118.102", "Ensure that the concept of defamation and disturbance", {"expression_media"}),
    (2, "119.11", "Build on structures already in place and set up", {"torture"}),
    (
        1,
        "82.56",
        "Ensure that the draft law on non-governmental organizationsdoes not",
        {"civil_society", "assembly_association", "expression_media"},
    ),
    (
        1,
        "82.44",
        "Guarantee the independence of the Extraordinary Chambers",
        {"impunity_rule_of_law", "justice_fair_trial"},
    ),
    (2, "119.14", "Issue a standing invitation to the special procedures", {"un_cooperation"}),
]


@pytest.mark.parametrize(("cycle", "para", "quoted", "expected"), THEME_CASES)
def test_themes(recs, cycle, para, quoted, expected):
    assert codes(real(recs, cycle, para, quoted), "theme") == expected


def test_theme_rule_names_keyword(recs):
    text = real(recs, 2, "118.132", "Ensure that the granting of land concessions")
    (tag,) = [t for t in classify(text) if t.scheme == "theme"]
    assert tag.rule == "theme.land_housing: keyword 'land'"


def test_keywords_that_must_not_fire(recs):
    # "International Labour Organization" (ILO Convention 169) is about indigenous peoples.
    text = real(recs, 1, "82.1", "Consider ratifying the International Convention")
    assert "labour" not in codes(text, "theme")
    assert "indigenous_minorities" in codes(text, "theme")
    # "General Assembly draft resolution" is not freedom of assembly.
    text = real(recs, 1, "82.83", "Strengthen its policy for the full guarantee of the rights")
    assert codes(text, "theme") == {"children"}


def test_groups_only_when_named(recs):
    text = real(recs, 1, "82.16", "Further strengthen its advocacy efforts")
    assert codes(text, "group") == {
        "women",
        "children",
        "persons_disabilities",
        "older_persons",
        "indigenous_peoples",
        "vulnerable_groups",
    }
    text = real(recs, 2, "119.24", "Protect opposition party members, journalists")
    assert codes(text, "group") == {"opposition", "journalists", "hrds"}
    text = real(recs, 2, "118.95", "Strengthen the means at the disposal of the justice system")
    assert codes(text, "group") == {"rural_poor"}  # "indigent persons"
    assert codes(real(recs, 2, "118.3", "Ratify the Second"), "group") == set()


# --- properties over all 296 real recommendations -----------------------------------------------


def test_every_real_recommendation_is_tagged(recs):
    assert len(recs) == 296
    for row in recs.itertuples():
        tags = classify(row.text)
        actions = [t for t in tags if t.scheme == "action_category"]
        themes = [t for t in tags if t.scheme == "theme"]
        assert len(actions) == 1, row.rec_number
        assert themes, row.rec_number
        # Every real recommendation gets a real theme, not the fallback.
        assert not any("fallback" in t.rule for t in themes), row.rec_number


def test_tags_are_well_formed_sorted_unique_and_deterministic(recs):
    for text in recs.text:
        tags = classify(text)
        assert tags == classify(text)
        keys = [(t.scheme, t.code) for t in tags]
        assert keys == sorted(keys)
        assert len(keys) == len(set(keys))
        for t in tags:
            assert t.code in taxonomy.SCHEMES[t.scheme], t
            assert t.label == taxonomy.SCHEMES[t.scheme][t.code]
            assert t.provenance == "classifier"
            assert t.rule.startswith(f"{t.scheme}.{t.code}: ")


def test_fallback_theme_for_text_without_keywords():
    tags = classify("Do something unspecified (Nowhere Land);")
    assert [(t.scheme, t.code) for t in tags] == [
        ("action_category", "4"),
        ("theme", "hr_framework"),
    ]
    assert "fallback" in tags[1].rule and "default" in tags[0].rule


def test_tag_is_frozen():
    tag = classify("Ratify CEDAW (Chad);")[0]
    with pytest.raises(AttributeError):
        tag.code = "1"  # type: ignore[misc]


# --- taxonomy and documentation -----------------------------------------------------------------


def test_taxonomy_has_required_codes():
    required = {
        "land_housing",
        "justice_fair_trial",
        "hrds",
        "civil_society",
        "expression_media",
        "assembly_association",
        "elections",
        "detention",
        "torture",
        "death_penalty",
        "nhri",
        "un_cooperation",
        "ratification",
        "women",
        "children",
        "lgbti",
        "disabilities",
        "indigenous_minorities",
        "trafficking",
        "labour",
        "education",
        "health",
        "poverty_development",
        "corruption_governance",
    }
    assert required <= set(taxonomy.THEMES)
    assert list(taxonomy.ACTION_CATEGORIES) == ["1", "2", "3", "4", "5"]
    assert set(taxonomy.SCHEMES) == {"theme", "group", "action_category"}
    for vocab in taxonomy.SCHEMES.values():
        for code, label in vocab.items():
            assert re.fullmatch(r"[a-z0-9_]+", code) and label
    # Every keyword rule targets a code in the vocabulary.
    assert set(classify_module.THEME_RULES) == set(taxonomy.THEMES)
    assert set(classify_module.GROUP_RULES) == set(taxonomy.GROUPS)


def test_rules_are_documented():
    for phrase in ("UPR Info", "HIGHEST category", "Consider ratifying", "fallback", "ratify"):
        assert phrase in RULES_DOC
    for source in ("classify.py", "taxonomy.py"):
        assert "streamlit" not in (ROOT / "upr_data" / source).read_text()


# --- agreement with the hand-checked sample -----------------------------------------------------


def test_agreement_with_hand_labels_stays_above_floor():
    path = ROOT / "bench" / "classifier_agreement.py"
    spec = importlib.util.spec_from_file_location("classifier_agreement", path)
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(bench)
    result = bench.measure()
    assert result.n == 60
    # Measured: action 59/60 = 98.3%; themes P 84.5%, R 99.1%, F1 91.2%.
    assert result.action_rate >= 0.95, result.disagreements
    assert result.recall >= 0.95, result.disagreements
    assert result.f1 >= 0.88, result.disagreements
