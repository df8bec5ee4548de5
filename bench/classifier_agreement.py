"""Agreement of the rule-based classifier with a hand-checked sample.

The sample (tests/classifier_sample.csv) is every 5th recommendation paragraph in document order
(cycle 1 then cycle 2, rows as they appear in data/sources; 60 of 296), labelled by hand by
reading the text, before the rules were tuned: the UPR Info action category (leading verb;
clusters take their highest part) and the paragraph's primary themes.

Run: python bench/classifier_agreement.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from upr_data.classify import classify  # noqa: E402

SOURCES = ROOT / "data" / "sources"
SAMPLE = ROOT / "tests" / "classifier_sample.csv"


@dataclass
class Agreement:
    n: int = 0
    action_matches: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    disagreements: list[str] = field(default_factory=list)

    @property
    def action_rate(self) -> float:
        return self.action_matches / self.n if self.n else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_recommendations(sources: Path = SOURCES) -> pd.DataFrame:
    files = sorted(sources.glob("cambodia_cycle*_recommendations.csv"))
    # rec_number as text: "82.10" is not "82.1".
    return pd.concat([pd.read_csv(f, dtype=str) for f in files], ignore_index=True)


def measure(sample: Path = SAMPLE, sources: Path = SOURCES) -> Agreement:
    recs = load_recommendations(sources).set_index(["cycle", "rec_number"])
    hand = pd.read_csv(sample, dtype=str)
    result = Agreement()
    for row in hand.itertuples(index=False):
        text = recs.loc[(row.cycle, row.rec_number), "text"]
        tags = classify(text)
        action = next(t.code for t in tags if t.scheme == "action_category")
        themes = {t.code for t in tags if t.scheme == "theme"}
        expected = set(row.themes.split(";"))
        result.n += 1
        result.action_matches += action == row.action_category
        result.tp += len(themes & expected)
        result.fp += len(themes - expected)
        result.fn += len(expected - themes)
        where = f"{row.cycle}/{row.rec_number}"
        if action != row.action_category:
            rule = next(t.rule for t in tags if t.scheme == "action_category")
            result.disagreements.append(
                f"{where} action: hand {row.action_category}, classifier {action} ({rule})"
            )
        if themes != expected:
            extra, missing = sorted(themes - expected), sorted(expected - themes)
            result.disagreements.append(f"{where} themes: extra {extra}, missing {missing}")
    return result


def main() -> None:
    a = measure()
    print(f"sample: {a.n} recommendations ({SAMPLE.relative_to(ROOT)})")
    print(f"action category exact match: {a.action_matches}/{a.n} = {a.action_rate:.1%}")
    print(
        f"themes (micro): precision {a.precision:.1%}, recall {a.recall:.1%}, F1 {a.f1:.1%} "
        f"(tp {a.tp}, fp {a.fp}, fn {a.fn})"
    )
    print(f"disagreements ({len(a.disagreements)}):")
    for line in a.disagreements:
        print(f"  {line}")


if __name__ == "__main__":
    main()
