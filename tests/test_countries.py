from __future__ import annotations

import pandas as pd
import pytest

from upr_data.countries import UnknownState, display_name, to_iso3
from upr_data.settings import SOURCES_DIR


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Bolivarian Republic of Venezuela", "VEN"),
        ("Democratic People\u2019s Republic of Korea", "PRK"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("DPR Korea", "PRK"),
        ("Republic of Korea", "KOR"),  # pycountry's fuzzy search would say PRK
        ("State of Palestine", "PSE"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("St Vincent & the Grenadines", "VCT"),
        ("  viet   nam ", "VNM"),
        ("Czech Republic", "CZE"),
        ("Germany", "DEU"),
    ],
)
def test_un_spellings_resolve(name, code):
    assert to_iso3(name) == code


@pytest.mark.parametrize("name", ["Atlantis", "", "Korea", "Republic of"])
def test_unknown_names_raise_instead_of_guessing(name):
    with pytest.raises(UnknownState):
        to_iso3(name)


def test_every_name_in_the_sources_resolves_to_a_distinct_state():
    groups = pd.read_csv(SOURCES_DIR / "un_regional_groups.csv", dtype=str)
    codes = [to_iso3(name) for name in groups["state"]]
    assert len(set(codes)) == len(codes) == 195
    for cycle in (1, 2):
        recs = pd.read_csv(SOURCES_DIR / f"cambodia_cycle{cycle}_recommendations.csv", dtype=str)
        names = recs["recommending_states"].str.split(";").explode().str.strip()
        assert set(map(to_iso3, names)) <= set(codes)


def test_display_names():
    assert display_name("KHM") == "Cambodia"
    assert display_name("XXX") == "XXX"


def test_display_name_follows_the_locale():
    """A State's name in the current language (Babel's territory names); English unchanged."""
    from upr_data import i18n

    assert display_name("KHM") == "Cambodia"
    i18n.set_locale("km")
    try:
        assert display_name("KHM") == "កម្ពុជា"
        assert display_name("XXX") == "XXX"  # an unknown code stays a code
    finally:
        i18n.set_locale("en")
    assert display_name("KHM") == "Cambodia"
