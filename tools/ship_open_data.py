"""Regenerate the open data shipped in data/ from the Ministry of Culture's two files
(../shared/open_data/, Licence Ouverte / Etalab 2.0):

* ``data/institutions_museofile.csv``: the museums of the Muséofile register whose main domains
  (``dompal``) include 'Asie' (89), as the shipped mapping docs/examples/museofile.yaml reads
  them, with the register's exact coordinates. A museum the built-in data already knows (the
  musée du quai Branly, the musée Guimet) is matched by asemus_data.identity (the importer's own
  name + city matching) and keeps its id: the store merges the register's row into it.
* ``data/institution_identifiers.csv``: their Muséofile ids (``M5005``) -> institution ids.
* ``data/visitor_stats.csv``: every row of the attendance file (2001-2021, as the shipped mapping
  docs/examples/frequentation-musees-de-france.yaml reads it) of the ministry museum numbers
  (``ref_musee``, the series key) that the file links to one of those museums (its
  ``id_museofile``, given for 2019-2021); the link is written on every year of the series.

Both files go through the real import path into a scratch store built from the rest of data/,
so the matching, identifier resolution and validation are the app's own. Run:

    .venv/bin/python tools/ship_open_data.py [OPEN_DATA_DIR [OUT_DIR]]

(defaults: ../shared/open_data beside the project, and data/).

The output is the same on every run (rows sorted, ids generated from file, row and values).
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asemus_data import identity, open_data, store  # noqa: E402
from asemus_data.importer import import_file  # noqa: E402
from asemus_data.schemas import columns  # noqa: E402

REGISTER = "musees-de-france-museofile.csv"
ATTENDANCE = "frequentation-des-musees-de-france-2001-2021.csv"
REGISTER_MAPPING = ROOT / "docs" / "examples" / "museofile.yaml"
ATTENDANCE_MAPPING = ROOT / "docs" / "examples" / "frequentation-musees-de-france.yaml"
DATA = ROOT / "data"
OUTPUTS = (open_data.REGISTER_FILE, "institution_identifiers.csv", "visitor_stats.csv")


def _scratch_store(tmp: Path) -> Path:
    """A store built from data/ without the files this script writes."""
    data = tmp / "data"
    data.mkdir()
    for p in DATA.glob("*.csv"):
        if p.name not in OUTPUTS:
            shutil.copyfile(p, data / p.name)
    path = tmp / "store.duckdb"
    store.build(path, data_dir=data)
    return path


def _write(df: pd.DataFrame, out: Path, name: str) -> None:
    df.to_csv(out / name, index=False, lineterminator="\n")
    print(f"{out.name}/{name}: {len(df):,} rows")


def main(open_dir: str = str(ROOT.parent / "shared" / "open_data"), out_dir: str = str(DATA)
         ) -> None:
    src, out = Path(open_dir), Path(out_dir)
    register = pd.read_csv(src / REGISTER, sep=";", dtype=str)
    domains = register["dompal"].fillna("").str.split(";")
    asie = set(register.loc[domains.map(lambda d: open_data.ASIE in [x.strip() for x in d]), "ref"])
    with tempfile.TemporaryDirectory() as t:
        path = _scratch_store(Path(t))
        reg = import_file(src / REGISTER, "institutions", mapping=REGISTER_MAPPING, store=path)
        review = reg.identity.review
        # The importer holds back a register museum whose name and city match an institution
        # already known: each is printed, and merged only if it is one of the 'Asie' museums
        # (the others are not shipped).
        merge = []
        for r in review.itertuples():
            ref = dict(json.loads(r.identifiers)).get("museofile")
            print(f"matched by name and city: {ref} '{r.incoming_name}' ~ '{r.candidate_name}' "
                  f"({r.candidate_id}, score {r.score:.0f})"
                  + ("" if ref in asie else " [not 'Asie': not shipped]"))
            if ref in asie:
                merge.append(r.review_id)
        identity.apply_review_to_store(pd.DataFrame({"review_id": merge, "decision": "merge"}),
                                       store=path)
        import_file(src / ATTENDANCE, "visitor_stats", mapping=ATTENDANCE_MAPPING, store=path)
        con = duckdb.connect(str(path), read_only=True)
        try:
            idents = con.execute("SELECT institution_id, scheme, value FROM institution_identifiers "
                                 "WHERE scheme = 'museofile' ORDER BY value").df()
            idents = idents[idents["value"].isin(asie)].reset_index(drop=True)
            owner = dict(zip(idents["value"], idents["institution_id"]))
            visits = con.execute("SELECT * FROM visitor_stats").df()
        finally:
            con.close()

    # institutions: the register's own rows (the mapping's reading), under the id they have here
    from asemus_data.importer import read_source
    from asemus_data.validate import validate_frame
    frame = read_source(src / REGISTER, "institutions", mapping=REGISTER_MAPPING).frame
    frame = frame[frame["identifier_museofile"].isin(asie)].copy()
    frame["id"] = frame["identifier_museofile"].map(owner)
    frame = frame.drop(columns=["identifier_museofile"])
    v = validate_frame(frame, "institutions", allow_formula_text=True)
    if not v.ok:
        raise SystemExit("\n".join(map(str, v.errors)))
    inst = v.frame.reindex(columns=columns("institutions"))
    inst["status"] = "documented"
    inst["source"] = open_data.REGISTER_URL
    inst["asian_collections_source"] = (f"{open_data.REGISTER_URL} (main domains, dompal, "
                                        "include 'Asie')")
    inst["member_status"] = "not documented"    # no source says they are ASEMUS members
    inst = inst.sort_values("id").reset_index(drop=True)
    assert len(inst) == len(asie), (len(inst), len(asie))
    _write(inst, out, open_data.REGISTER_FILE)

    idents = idents.assign(source=open_data.REGISTER_URL, status="documented")
    _write(idents.reindex(columns=columns("institution_identifiers")), out, "institution_identifiers.csv")

    # visitor series: the ministry numbers linked (2019-2021) to a shipped museum, every year
    ours = set(owner.values())
    linked = visits[visits["institution_id"].isin(ours)]
    key_owner = linked.groupby("source_key")["institution_id"].agg(lambda s: sorted(set(s)))
    two = key_owner[key_owner.map(len) > 1]
    if len(two):
        raise SystemExit(f"ministry numbers linked to two museums: {two.to_dict()}")
    series = visits[visits["source_key"].isin(key_owner.index)].copy()
    series["institution_id"] = series["source_key"].map(key_owner.map(lambda s: s[0]))
    series["source"] = open_data.ATTENDANCE_URL
    series["status"] = "documented"
    series = series.reindex(columns=columns("visitor_stats"))
    for c in ("year", "visitors", "paid", "free"):
        series[c] = series[c].astype("Int64")
    series = series.sort_values(["institution_id", "source_key", "year", "id"]).reset_index(drop=True)
    _write(series, out, "visitor_stats.csv")
    missing = sorted(set(owner) - set(linked.merge(idents, left_on="institution_id",
                                                   right_on="institution_id")["value"]))
    print(f"{len(owner) - len(missing)} of {len(owner)} museums have a visitor series; none in "
          f"the attendance file for: {', '.join(missing)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
