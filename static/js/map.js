// Draws the map's layers (stations by stage, inspections by result, SME visits, 公平秤) from the JSON
// the page embeds (json_script) over the outline of 巫山县 (static/vendor/geo/wushan.geo.json, vendored:
// no tiles, no CDN), fetched from this site's static files and registered with ECharts as a map; the
// points sit on its geo component, in the same longitude/latitude. The view frames the county (and any
// point outside it); scroll or pinch to zoom, drag to pan. If the outline cannot be had, the points are
// drawn on plain longitude/latitude axes instead. No inline scripts; tooltips in the canvas (richText)
// so the content-security policy needs no inline styles. One series per layer and category, named
// "layer·category", so the legend shows and hides each; the layer check boxes above the chart show and
// hide a whole layer. Clicking a point opens its record.
(function () {
  "use strict";
  var source = document.getElementById("station-map-data");
  var element = document.getElementById("station-map");
  if (!source || !element || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var MAP = "wushan";
  element.style.height = "400px";
  element.style.width = "100%";

  var series = [];
  var namesByLayer = {};
  var lons = [];
  var lats = [];
  data.layers.forEach(function (layer) {
    namesByLayer[layer.key] = [];
    layer.categories.forEach(function (category) {
      var points = layer.points.filter(function (p) { return p.category === category.value; });
      if (!points.length) { return; }
      var name = layer.label + "·" + category.label;
      namesByLayer[layer.key].push(name);
      points.forEach(function (p) { lons.push(p.lon); lats.push(p.lat); });
      series.push({
        name: name,
        type: "scatter",
        symbol: layer.symbol,
        symbolSize: layer.key === "stations" ? 14 : 12,
        itemStyle: { color: category.colour, borderColor: "#fff", borderWidth: 1 },
        data: points.map(function (p) {
          return { name: p.name, value: [p.lon, p.lat], url: p.url, layer: layer.key };
        })
      });
    });
  });
  if (!series.length) { return; }

  var common = {
    animation: false,
    tooltip: { renderMode: "richText", formatter: function (item) { return item.name + "\n" + item.seriesName; } },
    legend: { bottom: 0, type: "scroll" }
  };

  // Every [lon, lat] of a (Multi)Polygon feature collection, for its bounding box.
  function outlineCoordinates(geojson) {
    var all = [];
    geojson.features.forEach(function (feature) {
      var polygons = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
      polygons.forEach(function (rings) { rings.forEach(function (ring) { all.push.apply(all, ring); }); });
    });
    return all;
  }

  function onGeo(geojson) {
    var corners = outlineCoordinates(geojson);
    var west = Math.min(Math.min.apply(null, lons), Math.min.apply(null, corners.map(function (c) { return c[0]; })));
    var east = Math.max(Math.max.apply(null, lons), Math.max.apply(null, corners.map(function (c) { return c[0]; })));
    var south = Math.min(Math.min.apply(null, lats), Math.min.apply(null, corners.map(function (c) { return c[1]; })));
    var north = Math.max(Math.max.apply(null, lats), Math.max.apply(null, corners.map(function (c) { return c[1]; })));
    window.echarts.registerMap(MAP, geojson);
    return Object.assign({}, common, {
      geo: {
        map: MAP,
        roam: true,
        scaleLimit: { min: 1, max: 60 },
        boundingCoords: [[west, north], [east, south]],
        // Degrees of longitude are shorter than degrees of latitude this far north.
        aspectScale: Math.cos((south + north) / 2 * Math.PI / 180),
        top: 16, bottom: 48, left: 16, right: 16,
        silent: true,
        label: { show: false },
        itemStyle: { areaColor: "#eef3ee", borderColor: "#7b8f80", borderWidth: 1.5 }
      },
      series: series.map(function (s) { return Object.assign({ coordinateSystem: "geo", geoIndex: 0 }, s); })
    });
  }

  function onAxes() {
    var pad = 0.02;
    return Object.assign({}, common, {
      grid: { left: 56, right: 24, top: 32, bottom: 84 },
      xAxis: { type: "value", name: "经度", nameLocation: "middle", nameGap: 28, scale: true, min: Math.min.apply(null, lons) - pad, max: Math.max.apply(null, lons) + pad, axisLabel: { formatter: function (v) { return v.toFixed(2); } } },
      yAxis: { type: "value", name: "纬度", scale: true, min: Math.min.apply(null, lats) - pad, max: Math.max.apply(null, lats) + pad, axisLabel: { formatter: function (v) { return v.toFixed(2); } } },
      series: series
    });
  }

  function draw(option, outlined) {
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    chart.on("click", function (item) {
      if (item.data && item.data.url) { window.location.href = item.data.url; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("input[name=map-layer]"), function (box) {
      box.addEventListener("change", function () {
        (namesByLayer[box.value] || []).forEach(function (name) {
          chart.dispatchAction({ type: box.checked ? "legendSelect" : "legendUnSelect", name: name });
        });
      });
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.outline = outlined ? "drawn" : "none";
    element.dataset.points = String(lons.length);
  }

  var outline = data.outline;
  if (!outline || !window.fetch) { draw(onAxes(), false); return; }
  window.fetch(outline.url, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error("outline " + response.status); }
      return response.json();
    })
    .then(onGeo)
    .then(function (option) { draw(option, true); }, function () { draw(onAxes(), false); });
})();
