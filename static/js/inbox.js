// Fills the header's unread-messages badge after the page has loaded.
(function () {
  "use strict";
  var badge = document.querySelector("[data-unread-url]");
  if (!badge || !window.fetch) { return; }
  fetch(badge.getAttribute("data-unread-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (data && data.unread > 0) {
        badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
        badge.hidden = false;
      }
    })
    .catch(function () { /* the badge is a convenience; the inbox page shows the count too */ });
}());
