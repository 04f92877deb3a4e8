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

import numpy as np
import pandas as pd

SEED = 2026
SOURCE = ("Illustrative, not real holdings: seeded generator asemus_data.illustrative "
          f"(seed {SEED}). Holdings per museum are not public.")

#: origin ISO3 -> (culture, country name, [(category, weight)], [(period label, start, end)])
ORIGINS: dict[str, tuple[str, str, list[tuple[str, float]], list[tuple[str, int, int]]]] = {
    "CHN": ("Chinese", "China",
            [("ceramics", 6), ("paintings", 3), ("textiles", 2), ("metalwork", 2),
             ("jade and hardstones", 2), ("lacquer", 1), ("sculpture", 1), ("coins", 1)],
            [("Shang dynasty", -1600, -1046), ("Han dynasty", -206, 220), ("Tang dynasty", 618, 907),
             ("Song dynasty", 960, 1279), ("Ming dynasty", 1368, 1644), ("Qing dynasty", 1644, 1912)]),
    "JPN": ("Japanese", "Japan",
            [("prints", 4), ("ceramics", 3), ("lacquer", 2), ("textiles", 2), ("arms and armour", 1),
             ("paintings", 2), ("photographs", 1)],
            [("Heian period", 794, 1185), ("Muromachi period", 1336, 1573), ("Edo period", 1603, 1867),
             ("Meiji period", 1868, 1912)]),
    "KOR": ("Korean", "South Korea",
            [("ceramics", 5), ("paintings", 2), ("metalwork", 1), ("furniture", 1), ("textiles", 1)],
            [("Goryeo dynasty", 918, 1392), ("Joseon dynasty", 1392, 1897)]),
    "IND": ("Indian", "India",
            [("sculpture", 3), ("textiles", 3), ("paintings", 3), ("metalwork", 2), ("manuscripts", 1),
             ("jewellery", 1)],
            [("Gupta period", 320, 550), ("Chola dynasty", 848, 1279), ("Mughal period", 1526, 1857)]),
    "IDN": ("Indonesian", "Indonesia",
            [("textiles", 4), ("ethnographic objects", 3), ("metalwork", 2), ("sculpture", 1)],
            [("Majapahit period", 1293, 1527), ("19th century", 1801, 1900)]),
    "VNM": ("Vietnamese", "Viet Nam",
            [("ceramics", 3), ("ethnographic objects", 2), ("textiles", 1)],
            [("Ly dynasty", 1009, 1225), ("Le dynasty", 1428, 1789), ("19th century", 1801, 1900)]),
    "THA": ("Thai", "Thailand",
            [("sculpture", 2), ("ceramics", 2), ("textiles", 1)],
            [("Ayutthaya period", 1351, 1767), ("19th century", 1801, 1900)]),
    "MYS": ("Malay", "Malaysia",
            [("textiles", 2), ("ethnographic objects", 2), ("metalwork", 1)],
            [("19th century", 1801, 1900), ("20th century", 1901, 2000)]),
    "PHL": ("Filipino", "Philippines",
            [("ethnographic objects", 3), ("textiles", 2), ("sculpture", 1)],
            [("19th century", 1801, 1900), ("20th century", 1901, 2000)]),
    "IRN": ("Persian", "Iran",
            [("ceramics", 2), ("manuscripts", 2), ("metalwork", 2), ("textiles", 1)],
            [("Safavid dynasty", 1501, 1736), ("Qajar dynasty", 1789, 1925)]),
    "MNG": ("Mongolian", "Mongolia",
            [("ethnographic objects", 2), ("sculpture", 1), ("textiles", 1)],
            [("19th century", 1801, 1900)]),
    "KHM": ("Khmer", "Cambodia",
            [("sculpture", 3), ("ceramics", 1)],
            [("Angkor period", 802, 1431)]),
    "BGD": ("Bengali", "Bangladesh",
            [("textiles", 2), ("sculpture", 1), ("ethnographic objects", 1)],
            [("Pala period", 750, 1161), ("19th century", 1801, 1900)]),
    "UZB": ("Central Asian", "Uzbekistan",
            [("textiles", 2), ("ceramics", 1), ("manuscripts", 1)],
            [("Timurid period", 1370, 1507), ("19th century", 1801, 1900)]),
}
MATERIALS = {
    "ceramics": ["porcelain", "stoneware", "earthenware", "celadon"],
    "textiles": ["silk", "cotton", "wool"], "paintings": ["ink on silk", "ink on paper", "gouache"],
    "prints": ["woodblock print on paper"], "sculpture": ["bronze", "stone", "wood"],
    "manuscripts": ["paper", "palm leaf", "parchment"], "metalwork": ["bronze", "silver", "iron"],
    "photographs": ["albumen print", "gelatin silver print"],
    "ethnographic objects": ["wood", "mixed materials", "rattan"], "lacquer": ["lacquered wood"],
    "jade and hardstones": ["jade", "agate"], "arms and armour": ["steel", "iron and leather"],
    "coins": ["bronze", "silver"], "furniture": ["wood"], "jewellery": ["gold", "silver"],
}
#: Origins weighted for European holders (Asian holders favour their own country and neighbours).
EUROPEAN_HOLDER_WEIGHTS = {"CHN": 6, "JPN": 5, "IND": 4, "IDN": 3, "KOR": 2, "VNM": 1, "THA": 1,
                           "IRN": 1, "PHL": 1, "MNG": 1, "KHM": 1, "MYS": 1, "UZB": 1, "BGD": 0.5}


def _origin_weights(country_code: str, region: str) -> dict[str, float]:
    weights = dict(EUROPEAN_HOLDER_WEIGHTS)
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
    rng = np.random.default_rng(seed)
    rows = []
    for inst in institutions.sort_values("id").itertuples():
        weights = _origin_weights(inst.country_code, inst.region)
        codes = list(weights)
        p = np.array([weights[c] for c in codes], dtype=float)
        p /= p.sum()
        for k in range(int(rng.integers(4, 11))):
            origin = codes[rng.choice(len(codes), p=p)]
            culture, cname, cats, periods = ORIGINS[origin]
            cw = np.array([w for _, w in cats], dtype=float)
            category = cats[rng.choice(len(cats), p=cw / cw.sum())][0]
            label, start, end = periods[rng.integers(len(periods))]
            rows.append(dict(
                id=f"ill-{inst.id}-{k + 1:02d}", institution_id=inst.id,
                title=f"{culture} {category}, {label}", origin_culture=culture,
                origin_country_code=origin, origin_country=cname, category=category,
                material=str(rng.choice(MATERIALS[category])), period_start=start, period_end=end,
                date_text=f"{label} ({_fmt(start)}-{_fmt(end)})",
                object_count=int(max(1, round(rng.lognormal(4.5, 1.1)))),
                ownership="private" if rng.random() < 0.12 else "public",
                display=str(rng.choice(["on display", "in storage", "mixed"], p=[0.2, 0.5, 0.3])),
                source=SOURCE, status="illustrative"))
    return pd.DataFrame(rows)


def _fmt(year: int) -> str:
    return f"{-year} BCE" if year < 0 else str(year)
