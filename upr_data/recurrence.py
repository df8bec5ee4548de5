"""Recurring recommendations: each recommendation linked to the most similar ones the same State
under review received in OTHER cycles.

    score = TEXT_WEIGHT * text_score + (1 - TEXT_WEIGHT) * theme_score

- text_score: cosine similarity of TF-IDF vectors (numpy only). A text is prepared by removing the
  recommending-State brackets and "(a)" markers (`classify.split_recommendations`), lower-casing,
  keeping words of 3+ letters that are not stop words (English function words and words every
  UPR recommendation uses: "ensure", "continue", "efforts", "measures", ...), folding plurals
  ("institutions" -> "institution"), and adding adjacent word pairs ("human rights institution"
  weighs more than its words apart). Term weights: (1 + log tf) * idf, idf = ln((1 + n) /
  (1 + df)) + 1, over all recommendations of the State under review; vectors L2-normalised.
- theme_score: Jaccard overlap of the two recommendations' effective theme tags (a curator's
  themes replace the classifier's, as in `queries.effective_tags`).
- A link is kept when score >= THRESHOLD and text_score >= MIN_TEXT (a shared theme alone never
  links two texts); each recommendation keeps its TOP best links in each other cycle.

`links(recommendations, tags)` works on frames; `from_store(store_dir)` reads the store.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from . import classify, store
from .i18n import N_, _

TEXT_WEIGHT = 0.7
THRESHOLD = 0.33
MIN_TEXT = 0.1
TOP = 3
COLUMNS = ["rec_id", "other_rec_id", "score", "text_score", "theme_score"]

_STOP_TEXT = """
a about above after again against all also am an and any are as at be been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
upon within without whether well including include includes particular particularly regard
regarding order line accordance inter alia namely especially notably among cambodia
cambodian kingdom country government state states authorities ensure continue continued
continuing efforts effort measures measure steps step take taken taking necessary
appropriate effective effectively strengthen strengthening promote promoting consider
considering adopt adoption implement implementation undertake make made making intensify
enhance improve improving increase increased recommendation recommendations relevant full
fully existing various possible
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


def _fold(word: str) -> str:
    """A light plural fold: 'institutions' -> 'institution', 'bodies' -> 'body'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The words and adjacent word pairs of a recommendation text, as used for similarity."""
    body = " ".join(classify.split_recommendations(text)).lower().replace("\u2019", "'")
    words = [_fold(w) for w in _WORD.findall(body) if len(w) >= 3 and w not in STOP_WORDS]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def tfidf(texts: list[str]) -> np.ndarray:
    """L2-normalised TF-IDF matrix (documents x terms)."""
    counted = [Counter(terms(t)) for t in texts]
    vocabulary: dict[str, int] = {}
    for counts in counted:
        for term in counts:
            vocabulary.setdefault(term, len(vocabulary))
    matrix = np.zeros((len(texts), max(len(vocabulary), 1)))
    df = np.zeros(matrix.shape[1])
    for i, counts in enumerate(counted):
        for term, n in counts.items():
            j = vocabulary[term]
            matrix[i, j] = 1 + math.log(n)
            df[j] += 1
    matrix *= np.log((1 + len(texts)) / (1 + df)) + 1
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def effective_themes(tags: pd.DataFrame) -> dict[str, set[str]]:
    """rec_id -> theme codes, a curator's themes replacing the others (as effective_tags)."""
    themes = tags[tags["scheme"] == "theme"]
    curated = set(themes.loc[themes["provenance"] == "curator", "rec_id"])
    keep = themes[(themes["provenance"] == "curator") | ~themes["rec_id"].isin(curated)]
    found: dict[str, set[str]] = {}
    for rid, code in zip(keep["rec_id"], keep["code"], strict=True):
        found.setdefault(rid, set()).add(code)
    return found


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def links(
    recommendations: pd.DataFrame,
    tags: pd.DataFrame,
    threshold: float = THRESHOLD,
    top: int = TOP,
    min_text: float = MIN_TEXT,
) -> pd.DataFrame:
    """Links between recommendations of the same State under review in different cycles.

    `recommendations` needs rec_id, sur, cycle, text (one row per rec_id); `tags` rec_id, scheme,
    code, provenance. Returns COLUMNS, one row per (rec_id, other_rec_id) kept, both directions,
    sorted by rec_id and falling score; scores rounded to 4 decimals.
    """
    rows: list[tuple] = []
    themes = effective_themes(tags)
    for _sur, group in recommendations.groupby("sur", sort=True):
        group = group.reset_index(drop=True)
        if group["cycle"].nunique() < 2:
            continue
        text = tfidf(group["text"].tolist())
        cosine = text @ text.T
        ids = group["rec_id"].tolist()
        cycles = group["cycle"].to_numpy()
        rec_themes = [themes.get(r, set()) for r in ids]
        for i, rid in enumerate(ids):
            for other_cycle in sorted(set(cycles) - {cycles[i]}):
                candidates = np.flatnonzero((cycles == other_cycle) & (cosine[i] >= min_text))
                scored = []
                for j in candidates:
                    theme = _jaccard(rec_themes[i], rec_themes[j])
                    score = TEXT_WEIGHT * cosine[i, j] + (1 - TEXT_WEIGHT) * theme
                    if score >= threshold:
                        scored.append((score, cosine[i, j], theme, ids[j]))
                scored.sort(key=lambda s: (-s[0], s[3]))
                for score, text_score, theme, other in scored[:top]:
                    rows.append((rid, other, score, text_score, theme))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("score", "text_score", "theme_score"):
        frame[column] = frame[column].astype(float).round(4)
    return frame.sort_values(["rec_id", "score"], ascending=[True, False], ignore_index=True)


def from_store(store_dir: Path, **options) -> pd.DataFrame:
    """`links` over the store's current recommendations and tags."""
    from .ingest.current import read_current

    recs = read_current(store_dir, "recommendations").to_pandas()
    tags = store.read_table(store_dir, "tags").to_pandas()
    return links(recs[["rec_id", "sur", "cycle", "text"]], tags, **options)


# A score in words, for readers: the lowest score of each band (the last is THRESHOLD).
SIMILARITY = (
    (0.6, N_("very similar")),
    (0.45, N_("similar")),
    (THRESHOLD, N_("related")),
)


def similarity(score: float) -> str:
    """How alike two linked recommendations are, in words ("very similar", "similar",
    "related"), in the reader's language."""
    for lowest, words in SIMILARITY:
        if score >= lowest:
            return _(words)
    return _("related")


def explanation() -> str:
    """What a link between recommendations of different cycles means, in plain words."""
    return _(
        "Two recommendations from different UPR cycles are linked when they ask for much the "
        "same thing: their wording shares the same distinctive words and phrases (common words "
        "such as “ensure” or “measures” are left out), and they are on the same themes. "
        "Recommendations linked to each other, directly or through one another, form one "
        "recurring issue. How alike two of them are is said in words: very similar, similar, "
        "or related (the weakest link kept)."
    )


MAX_RECOMMENDATIONS = 20_000  # dense TF-IDF per State under review: beyond this, not computed


def chains(found: pd.DataFrame) -> pd.DataFrame:
    """Group linked recommendations into chains (connected components): rec_id, chain.

    A chain is one issue recommended again and again across cycles; its id is its smallest
    rec_id, so it is stable for the same links."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(found["rec_id"], found["other_rec_id"], strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members = sorted(parent)
    frame = pd.DataFrame({"rec_id": members, "chain": [root(m) for m in members]})
    smallest = frame.groupby("chain")["rec_id"].transform("min")
    return frame.assign(chain=smallest).sort_values(["chain", "rec_id"], ignore_index=True)
