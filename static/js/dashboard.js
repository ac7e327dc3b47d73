// Draws the dashboard's charts from the JSON the page embeds (json_script): no inline scripts, and
// tooltips rendered in the canvas (richText) so that the content-security policy needs no inline styles.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function chart(id, option) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var instance = window.echarts.init(element, null, { renderer: "canvas" });
    option.tooltip = Object.assign({ renderMode: "richText" }, option.tooltip || {});
    instance.setOption(option);
    charts.push(instance);
  }

  var activity = data.activity || { weeks: [], series: [] };
  chart("chart-activity", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 40 },
    xAxis: { type: "category", data: activity.weeks },
    yAxis: { type: "value", minInterval: 1 },
    series: activity.series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.data }; })
  });

  var categories = ["按时完成", "逾期完成", "逾期未完成", "未到期", "尚未签收"];
  var units = (data.timeliness || []).map(function (row) { return row.unit; });
  var cells = [];
  var max = 1;
  (data.timeliness || []).forEach(function (row, y) {
    row.values.forEach(function (value, x) { cells.push([x, y, value]); if (value > max) { max = value; } });
  });
  chart("chart-timeliness", {
    tooltip: { position: "top" },
    grid: { left: 110, right: 16, top: 16, bottom: 70 },
    xAxis: { type: "category", data: categories, splitArea: { show: true } },
    yAxis: { type: "category", data: units, inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                 inRange: { color: ["#f0fdf4", "#fde68a", "#dc2626"] } },
    series: [{ name: "任务数", type: "heatmap", data: cells, label: { show: true } }]
  });

  var inspections = data.inspections || { domains: [], instruments: [], problems: [] };
  chart("chart-inspections", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 16, top: 36, bottom: 40 },
    xAxis: { type: "category", data: inspections.domains },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "检查器具（台件）", type: "bar", data: inspections.instruments },
      { name: "发现问题", type: "bar", data: inspections.problems }
    ]
  });

  var opinion = data.opinion || { levels: [], series: [] };
  chart("chart-opinion", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 60, right: 16, top: 36, bottom: 30 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: opinion.levels },
    series: opinion.series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.data }; })
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.documentElement.setAttribute("data-charts-ready", String(charts.length));
}());
