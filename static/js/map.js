// Draws the map's layers (stations by stage, inspections by result, SME visits) on a plain
// longitude/latitude chart from the JSON the page embeds (json_script): no inline scripts, tooltips in
// the canvas (richText) so the content-security policy needs no inline styles, and no tiles or outline
// fetched from anywhere. One series per layer and category, named "layer·category", so the legend
// shows and hides each; the layer check boxes above the chart show and hide a whole layer. Clicking a
// point opens its record.
(function () {
  "use strict";
  var source = document.getElementById("station-map-data");
  var element = document.getElementById("station-map");
  if (!source || !element || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
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

  var pad = 0.02;
  var chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    tooltip: { renderMode: "richText", formatter: function (item) { return item.name + "\n" + item.seriesName; } },
    legend: { bottom: 0, type: "scroll" },
    grid: { left: 56, right: 24, top: 32, bottom: 84 },
    xAxis: { type: "value", name: "经度", nameLocation: "middle", nameGap: 28, scale: true, min: Math.min.apply(null, lons) - pad, max: Math.max.apply(null, lons) + pad, axisLabel: { formatter: function (v) { return v.toFixed(2); } } },
    yAxis: { type: "value", name: "纬度", scale: true, min: Math.min.apply(null, lats) - pad, max: Math.max.apply(null, lats) + pad, axisLabel: { formatter: function (v) { return v.toFixed(2); } } },
    series: series
  });
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
  element.dataset.points = String(lons.length);
})();
