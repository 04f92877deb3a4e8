"""Make data/countries_50m.geojson from world-atlas 2.0.2 (Natural Earth 1:50m countries).

Reproduce (needs only the npm registry, once; nothing is downloaded at run time of the app):

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    /path/to/.venv/bin/python /path/to/tools/make_boundaries.py "$PWD/package/countries-50m.json"

Steps:
1. Read the TopoJSON ``countries`` layer with geopandas; it has no CRS: set EPSG:4326.
2. Cut polygons at the antimeridian. world-atlas 2 stitches them on the sphere (for d3), so read
   as flat lon/lat, Russia's Chukotka, Fiji and Antarctica become bands across the whole map.
3. ``iso_a3`` from the numeric ISO id via pycountry; "" where the id is missing or not ISO
   (Kosovo, N. Cyprus, Somaliland, Indian Ocean Ter., Siachen Glacier). ``name``: the display
   name used by asemus_data.geo (pycountry common name or name, ASEM forms such as
   "South Korea", "Viet Nam"); the Natural Earth name where there is no ISO code.
   ``ne_name``: the Natural Earth name. ``iso_n3``: the numeric id as given.
4. Features sharing an ISO code are merged (Ashmore and Cartier Is. carry Australia's code 036),
   so iso_a3 is unique.
5. Simplify (shapely, preserve_topology, tolerance 0.02 degrees) and round coordinates to 3
   decimals (~100 m). Every country keeps a non-empty geometry, the smallest included.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pycountry
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, box, mapping
from shapely.ops import unary_union

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from asemus_data.geo import display_name  # noqa: E402
from asemus_data.paths import BOUNDARIES_FILE  # noqa: E402

TOLERANCE = 0.02  # degrees, ~2 km
DECIMALS = 3
MAX_LAT = 89.999
MUST_HAVE = ("SGP", "MLT", "HKG", "BRN", "BHR", "LUX")


def _unwrap_ring(coords: np.ndarray) -> np.ndarray:
    """Make longitudes continuous (steps > 180 degrees become steps across the antimeridian)."""
    lon = np.degrees(np.unwrap(np.radians(coords[:, 0])))
    return np.column_stack([lon, coords[:, 1]])


def _polar_cap(ring: np.ndarray) -> Polygon:
    """Area between an unwrapped ring that goes once round a pole and that pole."""
    pole = -90.0 if ring[:, 1].mean() < 0 else 90.0
    closed = np.vstack([ring, [[ring[-1, 0], pole], [ring[0, 0], pole], ring[0]]])
    return shapely.make_valid(Polygon(closed))


def _cut_polygon(poly: Polygon) -> list[Polygon]:
    """Split one spherical polygon into flat lon/lat polygons within [-180, 180]."""
    rings = [np.asarray(poly.exterior.coords)] + [np.asarray(h.coords) for h in poly.interiors]
    if not any((np.abs(np.diff(r[:, 0])) > 180).any() for r in rings):
        return [poly]
    unwrapped = [_unwrap_ring(r) for r in rings]
    around_pole = [r for r in unwrapped if abs(r[-1, 0] - r[0, 0]) > 180]
    if around_pole:
        # Antarctica: GDAL reads it as a ring along the pole (lat -89.999) with the coast as a
        # "hole". On the sphere that is the land between the coast and the pole: close each ring
        # through the pole and keep the largest cap minus the others (the pole sliver).
        caps = sorted((_polar_cap(r) for r in around_pole), key=lambda g: -g.area)
        flat = caps[0].difference(unary_union(caps[1:])) if len(caps) > 1 else caps[0]
    else:
        # Russia (Chukotka), Fiji: continuous longitudes, possibly beyond 180, then cut.
        flat = shapely.make_valid(Polygon(unwrapped[0], unwrapped[1:]))
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        # Latitude trimmed to +/-89.999 as in the source: Web Mercator (deck.gl) sends the
        # pole itself to infinity.
        window = box(-180 + shift, -MAX_LAT, 180 + shift, MAX_LAT)
        part = flat.intersection(window)
        if not part.is_empty:
            pieces.append(shapely.affinity.translate(part, xoff=-shift))
    out = []
    for piece in pieces:
        for geom in getattr(piece, "geoms", [piece]):
            if isinstance(geom, Polygon) and not geom.is_empty:
                out.append(geom)
    return out


def cut_antimeridian(geom):
    """Return the geometry as flat polygons cut at +/-180 degrees longitude."""
    parts = list(getattr(geom, "geoms", [geom]))
    cut = [p for part in parts for p in _cut_polygon(part)]
    merged = unary_union(cut)
    return merged if isinstance(merged, (Polygon, MultiPolygon)) else MultiPolygon(
        [g for g in getattr(merged, "geoms", []) if isinstance(g, Polygon)])


def build(source: Path):
    # geopandas only when the boundaries are rebuilt (a maintainer's tool)
    import geopandas as gpd

    gdf = gpd.read_file(source, layer="countries").set_crs(4326)
    gdf = gdf.rename(columns={"name": "ne_name", "id": "iso_n3"})
    gdf["geometry"] = [cut_antimeridian(g) for g in gdf.geometry]

    iso, names = [], []
    for n3, ne_name in zip(gdf["iso_n3"], gdf["ne_name"]):
        country = pycountry.countries.get(numeric=str(n3).zfill(3)) if isinstance(n3, str) else None
        iso.append(country.alpha_3 if country else "")
        names.append(display_name(country.alpha_3) if country else ne_name)
    gdf["iso_a3"], gdf["name"] = iso, names
    gdf["iso_n3"] = gdf["iso_n3"].fillna("")

    # Merge features that share an ISO code; the largest one gives ne_name and iso_n3.
    gdf = gdf.assign(_area=shapely.area(gdf.geometry.values)).sort_values("_area", ascending=False)
    rows = []
    for _code, group in gdf[gdf["iso_a3"] != ""].groupby("iso_a3", sort=False):
        first = group.iloc[0]
        rows.append({**first.to_dict(), "geometry": unary_union(list(group.geometry))})
    rows += [r.to_dict() for _, r in gdf[gdf["iso_a3"] == ""].iterrows()]
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)

    simplified = shapely.simplify(gdf.geometry.values, TOLERANCE, preserve_topology=True)
    simplified = shapely.transform(simplified, lambda xy: xy.round(DECIMALS))
    # Rounding can leave a self-touching ring; make_valid keeps every polygon.
    gdf["geometry"] = shapely.make_valid(simplified)
    gdf["geometry"] = [_polygons_only(g) for g in gdf.geometry]

    gdf = gdf[["iso_a3", "iso_n3", "name", "ne_name", "geometry"]]
    gdf = gdf.sort_values(["name", "ne_name"]).reset_index(drop=True)
    return gdf


def _polygons_only(geom):
    """make_valid may return a GeometryCollection with stray lines: keep the polygons."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    return unary_union(polys)


def check(gdf) -> None:
    """Fail loudly when something the app relies on is missing."""
    problems = []
    for code in MUST_HAVE:
        row = gdf[gdf["iso_a3"] == code]
        if row.empty or row.geometry.iloc[0].is_empty:
            problems.append(f"{code} missing or empty")
    if (gdf["name"].str.strip() == "").any():
        problems.append("feature without a name")
    dup = gdf.loc[gdf["iso_a3"] != "", "iso_a3"].duplicated()
    if dup.any():
        problems.append("duplicate iso_a3")
    parts = gdf.geometry.explode(index_parts=False).bounds
    # Only Antarctica's ring may legitimately run all the way round the globe.
    wide = gdf.loc[parts.index[(parts.maxx - parts.minx) > 300], "iso_a3"].unique()
    if set(wide) - {"ATA"}:
        problems.append(f"polygons still spanning the antimeridian: {sorted(set(wide) - {'ATA'})}")
    if problems:
        raise SystemExit("; ".join(problems))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="package/countries-50m.json from world-atlas@2.0.2")
    parser.add_argument("-o", "--output", type=Path, default=BOUNDARIES_FILE)
    args = parser.parse_args(argv)

    gdf = build(args.source)
    check(gdf)
    # Write GeoJSON ourselves: compact, stable property order, byte-identical on re-runs.
    features = [
        {"type": "Feature",
         "properties": {"iso_a3": r.iso_a3, "iso_n3": r.iso_n3, "name": r.name,
                        "ne_name": r.ne_name},
         "geometry": mapping(r.geometry)}
        for r in gdf.itertuples()
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"{args.output}: {len(gdf)} features, {args.output.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
