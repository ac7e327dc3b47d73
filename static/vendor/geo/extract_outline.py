"""Extract one county's outline from ECharts 4's Chongqing map and write it as plain GeoJSON.

Usage (see README.md beside this file for where the input comes from):

    npm pack echarts@4.9.0 && tar xzf echarts-4.9.0.tgz
    python static/vendor/geo/extract_outline.py package/map/json/province/chongqing.json \
        500237 static/vendor/geo/wushan.geo.json

ECharts 4 ships its maps in a compressed form ("UTF8Encoding": true): each ring is a string of
character pairs, each pair a zigzag-encoded delta from the previous point, in units of 1/1024 degree,
starting from the ring's `encodeOffsets`. This is the decoder of echarts 4.9.0's
src/coord/geo/parseGeoJson.js (decode / decodePolygon), transcribed; the output is standard GeoJSON
(RFC 7946) with longitude/latitude in degrees, rounded to 6 decimals (the input's 1/1024 degree grid
needs fewer). Standard library only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_SCALE = 1024


def decode_ring(encoded: str, offsets: list[int], scale: float) -> list[list[float]]:
    prev_x, prev_y = offsets
    ring: list[list[float]] = []
    for i in range(0, len(encoded), 2):
        x = ord(encoded[i]) - 64
        y = ord(encoded[i + 1]) - 64
        x = (x >> 1) ^ -(x & 1)  # zigzag
        y = (y >> 1) ^ -(y & 1)
        prev_x, prev_y = x + prev_x, y + prev_y  # delta
        ring.append([round(prev_x / scale, 6), round(prev_y / scale, 6)])
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))  # GeoJSON rings are closed
    return ring


def decode_geometry(geometry: dict[str, Any], scale: float) -> dict[str, Any]:
    offsets = geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        rings = [decode_ring(r, o, scale) for r, o in zip(geometry["coordinates"], offsets, strict=True)]
        return {"type": "Polygon", "coordinates": rings}
    if geometry["type"] == "MultiPolygon":
        polygons = [
            [decode_ring(r, o, scale) for r, o in zip(polygon, polygon_offsets, strict=True)]
            for polygon, polygon_offsets in zip(geometry["coordinates"], offsets, strict=True)
        ]
        return {"type": "MultiPolygon", "coordinates": polygons}
    raise ValueError(f"unexpected geometry type {geometry['type']!r}")


def extract(source: dict[str, Any], feature_id: str) -> dict[str, Any]:
    if not source.get("UTF8Encoding"):
        raise ValueError("the input is not in ECharts' UTF8Encoding form")
    scale = source.get("UTF8Scale") or DEFAULT_SCALE
    (feature,) = [f for f in source["features"] if f.get("id") == feature_id]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": feature["id"],
                "properties": {"name": feature["properties"]["name"], "adcode": feature["id"]},
                "geometry": decode_geometry(feature["geometry"], scale),
            }
        ],
    }


def main(argv: list[str]) -> None:
    source_path, feature_id, target_path = argv
    outline = extract(json.loads(Path(source_path).read_text(encoding="utf-8")), feature_id)
    text = json.dumps(outline, ensure_ascii=False, separators=(",", ":"))
    Path(target_path).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
