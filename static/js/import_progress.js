// Polls an import job's status and shows its progress; once it has finished the page is reloaded,
// and the server shows the outcome (the count imported, or every row's problems).
(function () {
  "use strict";
  var job = document.querySelector("[data-import-status-url]");
  var url = job && job.getAttribute("data-import-status-url");
  if (!url || !window.fetch) { return; }
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        job.querySelector(".import-status").textContent = data.status_display;
        job.querySelector(".import-progress").value = data.progress;
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
