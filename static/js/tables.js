// Tables on a phone: a table with a one-row header becomes a list of cards under 640 px (app.css),
// each cell labelled with its column's heading; any other wide table scrolls inside its own box, so
// that no page scrolls sideways. Tables already in a .table-scroll box, or marked
// data-keep-table, are left as they are.
(function () {
  "use strict";
  function headings(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (rows.length !== 1) return null;
    var labels = [];
    Array.prototype.forEach.call(rows[0].cells, function (cell) {
      var span = cell.colSpan || 1;
      for (var i = 0; i < span; i++) labels.push(cell.textContent.replace(/\s+/g, " ").trim());
    });
    return labels;
  }
  function start() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-scroll") || table.hasAttribute("data-keep-table")) return;
      var labels = headings(table);
      if (!labels) {
        var box = document.createElement("div");
        box.className = "table-scroll table-scroll--auto";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
        return;
      }
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            var label = labels[column] || "";
            if (label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
            column += cell.colSpan || 1;
          });
        });
      });
      table.classList.add("card-table");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
