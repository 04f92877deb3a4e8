"""Illustrative holdings: what a collections layer looks like, for institutions whose holdings are
not public.

Every row made here has status ``illustrative`` and a source that says so. Nothing here is a fact
about a museum: the origins, categories and periods are plausible for Asian collections in general
(the periods are real, with their conventional dates), the counts are random draws.

Who gets illustrative holdings (the rule, also in data/README.md): only an institution documented
to hold Asian collections, i.e. ``asian_collections == 'yes'`` with a non-empty
``asian_collections_source`` (set by tools/transcribe_facts.py from the fact set: a name that names
Asian art or cultures, an Asian object the fact set records it holding or lending, or a partner of
'Curating Batik Collections'). An institution whose Asian collections are unknown (the Guggenheim
Bilbao, BOZAR, a science museum, a university department, a venue, a heritage board) gets none:
invented holdings on a real name that has none would pass for a fact about it. Synthetic stores
(invented names) ask for every institution with ``documented_only=False``.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2026
SOURCE = ("Illustrative, not real holdings: seeded generator asemus_data.illustrative "
          f"(seed {SEED}). Holdings per museum are not public.")

#: The generator's vocabulary (origins with their cultures, categories and periods; materials per
#: category; origin weights for European holders) is data, kept beside this module.
VOCABULARY_FILE = Path(__file__).with_name("illustrative_vocabulary.json")


@lru_cache(maxsize=1)
def vocabulary() -> tuple[dict, dict, dict]:
    """(origins, materials, European holder weights) from ``illustrative_vocabulary.json``:
    origin ISO3 -> (culture, country name, [(category, weight)], [(period label, start, end)]);
    category -> [material]; origin ISO3 -> weight. Read once, on first use."""
    raw = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    origins = {code: (o["culture"], o["country"], [tuple(c) for c in o["categories"]],
                      [tuple(p) for p in o["periods"]]) for code, o in raw["origins"].items()}
    return origins, raw["materials"], raw["european_holder_weights"]


def _origin_weights(country_code: str, region: str) -> dict[str, float]:
    weights = dict(vocabulary()[2])
    if region == "Asia":
        weights = {k: v * 0.5 for k, v in weights.items()}
        if country_code in weights:
            weights[country_code] = 12.0
    return weights


def documented_holders(institutions: pd.DataFrame) -> pd.DataFrame:
    """The institutions documented to hold Asian collections (``asian_collections`` 'yes' with a
    source); none when the table has no such columns."""
    if "asian_collections" not in institutions.columns:
        return institutions.iloc[0:0]
    said = institutions["asian_collections"].astype("string").str.strip().str.lower() == "yes"
    src = institutions.get("asian_collections_source")
    sourced = (src.astype("string").str.strip().fillna("") != "") if src is not None else said & False
    return institutions[(said & sourced).fillna(False).astype(bool)]


def generate_holdings(institutions: pd.DataFrame, seed: int = SEED, *,
                      documented_only: bool = True) -> pd.DataFrame:
    """An illustrative collections table (status ``illustrative``) for the institutions
    documented to hold Asian collections (:func:`documented_holders`), or for every one given
    with ``documented_only=False`` (synthetic institutions, whose names are invented).

    Deterministic for a given seed and institution list.
    """
    if documented_only:
        institutions = documented_holders(institutions)
    origins, materials, _ = vocabulary()
    rng = np.random.default_rng(seed)
    rows = []
    for inst in institutions.sort_values("id").itertuples():
        weights = _origin_weights(inst.country_code, inst.region)
        codes = list(weights)
        p = np.array([weights[c] for c in codes], dtype=float)
        p /= p.sum()
        for k in range(int(rng.integers(4, 11))):
            origin = codes[rng.choice(len(codes), p=p)]
            culture, cname, cats, periods = origins[origin]
            cw = np.array([w for _, w in cats], dtype=float)
            category = cats[rng.choice(len(cats), p=cw / cw.sum())][0]
            label, start, end = periods[rng.integers(len(periods))]
            rows.append(dict(
                id=f"ill-{inst.id}-{k + 1:02d}", institution_id=inst.id,
                title=f"{culture} {category}, {label}", origin_culture=culture,
                origin_country_code=origin, origin_country=cname, category=category,
                material=str(rng.choice(materials[category])), period_start=start, period_end=end,
                date_text=f"{label} ({_fmt(start)}-{_fmt(end)})",
                object_count=int(max(1, round(rng.lognormal(4.5, 1.1)))),
                ownership="private" if rng.random() < 0.12 else "public",
                display=str(rng.choice(["on display", "in storage", "mixed"], p=[0.2, 0.5, 0.3])),
                source=SOURCE, status="illustrative"))
    return pd.DataFrame(rows)


def _fmt(year: int) -> str:
    return f"{-year} BCE" if year < 0 else str(year)
