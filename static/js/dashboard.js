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

  // Every category label is drawn (interval 0): a label wider than its slot is broken into lines
  // that fit (ECharts wraps only at spaces, and Chinese has none), so none is skipped or overlaps.
  // `reserved` is the chart's left and right margins; a CJK character is about one font size wide.
  var FONT = 12;
  function fitting(id, count, reserved) {
    var element = document.getElementById(id);
    var slot = ((element ? element.clientWidth : 320) - reserved) / Math.max(count, 1);
    var width = Math.max(2, Math.floor(slot / FONT));
    return {
      lines: function (labels) {
        return labels.reduce(function (most, text) { return Math.max(most, Math.ceil(String(text).length / width)); }, 1);
      },
      format: function (text) {
        var lines = [];
        for (var i = 0; i < text.length; i += width) { lines.push(text.slice(i, i + width)); }
        return lines.join("\n");
      }
    };
  }

  var activity = data.activity || { weeks: [], series: [] };
  chart("chart-activity", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 64 },
    xAxis: { type: "category", data: activity.weeks, axisLabel: { interval: 0, rotate: activity.weeks.length > 10 ? 45 : 0, formatter: function (week) { return week.slice(5); } } },
    yAxis: { type: "value", minInterval: 1 },
    series: activity.series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.data }; })
  });

  // Each column has its own meaning, so each has its own colour: done on time is good (green), late
  // work is bad (red), unsigned is a warning (amber) and not yet due is neutral (blue). A cell's
  // strength grows with its count; zero is a blank cell, not a colour.
  var categories = ["按时完成", "逾期完成", "逾期未完成", "未到期", "尚未签收"];
  var colours = [[22, 163, 74], [234, 88, 12], [220, 38, 38], [37, 99, 235], [217, 119, 6]];
  var units = (data.timeliness || []).map(function (row) { return row.unit; });
  var max = 1;
  (data.timeliness || []).forEach(function (row) {
    row.values.forEach(function (value) { if (value > max) { max = value; } });
  });
  var cells = [];
  (data.timeliness || []).forEach(function (row, y) {
    row.values.forEach(function (value, x) {
      var rgb = colours[x];
      var alpha = value ? 0.25 + 0.75 * value / max : 0;
      cells.push({
        value: [x, y, value],
        itemStyle: { color: value ? "rgba(" + rgb.join(",") + "," + alpha.toFixed(2) + ")" : "#f9fafb" },
        label: { color: alpha > 0.6 ? "#ffffff" : "#111827" }
      });
    });
  });
  document.documentElement.setAttribute("data-heatmap-colours", categories.map(function (name, i) {
    return name + ":rgb(" + colours[i].join(",") + ")";
  }).join(";"));
  var heatLabels = fitting("chart-timeliness", categories.length, 100 + 16);
  chart("chart-timeliness", {
    tooltip: { position: "top" },
    grid: { left: 100, right: 16, top: 16, bottom: 16 + 16 * heatLabels.lines(categories) },
    xAxis: { type: "category", data: categories, splitArea: { show: true },
             axisLabel: { interval: 0, formatter: heatLabels.format } },
    yAxis: { type: "category", data: units, inverse: true, splitArea: { show: true }, axisLabel: { interval: 0 } },
    series: [{ name: "任务数", type: "heatmap", data: cells, label: { show: true } }]
  });

  var inspections = data.inspections || { domains: [], instruments: [], problems: [] };
  var domainLabels = fitting("chart-inspections", inspections.domains.length, 50 + 16);
  chart("chart-inspections", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 16, top: 36, bottom: 16 + 16 * domainLabels.lines(inspections.domains) },
    xAxis: { type: "category", data: inspections.domains, axisLabel: { interval: 0, formatter: domainLabels.format } },
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
    yAxis: { type: "category", data: opinion.levels, axisLabel: { interval: 0 } },
    series: opinion.series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.data }; })
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.documentElement.setAttribute("data-charts-ready", String(charts.length));
}());
