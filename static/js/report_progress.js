// Polls the status of reports still being built and shows their progress and download link.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-report-status-url]"))
    .filter(function (row) { return row.getAttribute("data-report-status-url"); });
  if (!rows.length || !window.fetch) { return; }
  function poll(row) {
    fetch(row.getAttribute("data-report-status-url"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        row.querySelector(".report-status").textContent = data.status_display;
        var bar = row.querySelector(".report-progress");
        bar.value = data.progress;
        if (data.download_url) {
          bar.hidden = true;
          var link = document.createElement("a");
          link.href = data.download_url;
          link.textContent = "下载";
          var cell = row.querySelector(".report-download");
          cell.textContent = "";
          cell.appendChild(link);
        } else if (data.status === "failed") {
          // The page shows the reason and the retry button for failed reports.
          window.location.reload();
        } else {
          window.setTimeout(function () { poll(row); }, 2000);
        }
      })
      .catch(function () { window.setTimeout(function () { poll(row); }, 5000); });
  }
  rows.forEach(poll);
}());
