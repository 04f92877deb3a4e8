"""Open data shipped in ``data/``: France's Muséofile register (the 89 museums whose main domains
include 'Asie') and their visitor series 2001-2021 from the ministry's attendance file, both
Ministère de la Culture, Licence Ouverte / Etalab 2.0. Made by ``tools/ship_open_data.py``.

The register's museums are holders of Asian collections, NOT ASEMUS members: no source says they
are (the two already known, the musée du quai Branly and the musée Guimet, keep their documented
rows). This module names the sources and their credit, and merges the register's rows into the
built-in institutions when the store is built (:func:`with_register`).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

#: The datasets on the Ministry of Culture's open-data portal (the ``source`` of every shipped row).
REGISTER_URL = "https://data.culture.gouv.fr/explore/dataset/musees-de-france-base-museofile/"
ATTENDANCE_URL = "https://data.culture.gouv.fr/explore/dataset/frequentation-des-musees-de-france/"
LICENCE = "Licence Ouverte / Etalab 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
#: The attribution the licence asks for, per source.
CREDITS = {
    REGISTER_URL: f"Ministère de la Culture, base Muséofile (Musées de France), {LICENCE}",
    ATTENDANCE_URL: ("Ministère de la Culture, Fréquentation des Musées de France 2001-2021, "
                     f"{LICENCE}"),
}
#: The built-in file of register rows (read with the institutions of data/institutions.csv).
REGISTER_FILE = "institutions_museofile.csv"
#: The register's 'Asie' museums shipped (count of the register rows whose dompal lists 'Asie').
ASIE = "Asie"


def credit(sources) -> str:
    """The credit line for whichever shipped open-data sources appear in ``sources`` (URLs, or
    texts holding them), e.g. 'Ministère de la Culture, base Muséofile ..., Licence Ouverte /
    Etalab 2.0'; '' when none does."""
    text = " ".join(str(s) for s in sources if isinstance(s, str)) if not isinstance(
        sources, str) else sources
    return "; ".join(c for url, c in CREDITS.items() if url in text)


def with_credit(source: str) -> str:
    """``source`` followed by the credit its open-data URLs require (unchanged otherwise)."""
    c = credit(source)
    return f"{source} ({c})" if c and c not in source else source


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


def with_register(institutions: pd.DataFrame, data_dir: Path) -> pd.DataFrame:
    """The built-in institutions (raw text frame of data/institutions.csv) with the register's
    rows of ``data/institutions_museofile.csv``: a museum already known (same id: the ship script
    matched it through asemus_data.identity) keeps its documented row, name, source and
    membership; only its empty or 'unknown' fields are filled (its Asian collections, with the
    register as their source), and a city-centre position gives way to the register's exact
    coordinates. The other register museums are added as they are."""
    path = Path(data_dir) / REGISTER_FILE
    if not path.exists():
        return institutions
    reg = pd.read_csv(path, dtype=str, keep_default_na=False)
    known = reg["id"].isin(set(institutions["id"]))
    out = institutions.copy()
    for col in reg.columns:
        if col not in out.columns:
            out[col] = ""
    pos = {i: k for k, i in enumerate(out["id"])}
    keep = {"id", "name", "source", "source_extra", "status", "member_status", "role",
            "membership_evidence", "region", "country", "country_code", "coord_precision",
            "coordinate_source", "latitude", "longitude", "asian_collections_source"}
    for _, r in reg[known].iterrows():
        k = out.index[pos[r["id"]]]
        for col in reg.columns:
            if col not in keep and (_blank(out.at[k, col]) or out.at[k, col] == "unknown") \
                    and not _blank(r[col]):
                out.at[k, col] = r[col]
                if col == "asian_collections":   # the register's domains say so: its source
                    out.at[k, "asian_collections_source"] = r["asian_collections_source"]
        if out.at[k, "coord_precision"] != "exact" and r["coord_precision"] == "exact":
            for col in ("latitude", "longitude", "coord_precision", "coordinate_source"):
                out.at[k, col] = r[col]
    added = reg[~known].reindex(columns=out.columns).fillna("")
    merged = pd.concat([out, added], ignore_index=True)
    merged.attrs = dict(institutions.attrs)
    return merged


#: Tables that hold shipped open-data rows.
TABLES_WITH_OPEN_DATA = ("institutions", "institution_identifiers", "visitor_stats")


def credits_in(con, tables=TABLES_WITH_OPEN_DATA) -> list[str]:
    """The credit lines of the shipped open-data sources that rows of ``tables`` in the store
    cite (for a README, a page caption or a download's source line); [] when none does."""
    urls = list(CREDITS)
    found: set[str] = set()
    for t in tables:
        try:
            rows = con.execute(f'SELECT DISTINCT source FROM "{t}" WHERE source IN '
                               f'({", ".join("?" for _ in urls)})', urls).fetchall()
        except Exception:  # noqa: BLE001 - a table this store lacks: nothing to credit
            continue
        found |= {r[0] for r in rows}
    return [f"{CREDITS[u]}: {u}" for u in urls if u in found]


#: Words that name a shipped dataset in a text that does not give its URL (a caption).
_NAMES = {REGISTER_URL: ("Muséofile", "Museofile"),
          ATTENDANCE_URL: ("Fréquentation des Musées de France",)}


def credit_lines(texts) -> list[str]:
    """Credit lines ('<credit>: <url>') for the shipped datasets that ``texts`` (sources,
    captions, summaries) cite by URL or by name; [] when none does."""
    joined = " ".join(str(t) for t in texts if isinstance(t, str))
    return [f"{CREDITS[u]}: {u}" for u, names in _NAMES.items()
            if u in joined or any(n in joined for n in names)]
