// Fills the header's badges (unread messages, records awaiting review) after the page has loaded,
// so that no page pays for the counts.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  function fill(badge, url, key) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data[key] > 0) {
          badge.textContent = data[key] > 99 ? "99+" : String(data[key]);
          badge.hidden = false;
        }
      })
      .catch(function () { /* a badge is a convenience; the pages show the counts too */ });
  }
  var badges = [];
  document.querySelectorAll("[data-unread-url]").forEach(function (badge) {
    badges.push([badge, badge.getAttribute("data-unread-url"), "unread"]);
  });
  document.querySelectorAll("[data-count-url]").forEach(function (badge) {
    badges.push([badge, badge.getAttribute("data-count-url"), "count"]);
  });
  // One request at a time: the counts are cheap, and a page should not open parallel requests for them.
  badges.reduce(function (previous, args) {
    return previous.then(function () { return fill(args[0], args[1], args[2]); });
  }, Promise.resolve());
}());
