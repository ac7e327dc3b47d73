// A POST form is sent once: its buttons are disabled while it is being submitted (a second tap on
// 提交 on a slow connection would otherwise send it twice). The clicked button's name and value
// still travel with the form, as a hidden copy, because a disabled button is not submitted.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") return;
    if (event.defaultPrevented) return;
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      var copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = submitter.name;
      copy.value = submitter.value;
      copy.dataset.submitterCopy = "1";
      form.appendChild(copy);
    }
    form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])").forEach(function (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    });
  });
  // Coming back to the page from the history must give working buttons again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting='1']").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("[data-submitter-copy]").forEach(function (copy) { copy.remove(); });
      form.querySelectorAll("[aria-busy='true']").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });
})();

// After a refused submit the page opens on the error summary: the first field in error gets the
// focus (scrolled into the middle of the screen), and each line of the summary jumps to its field.
(function () {
  "use strict";
  function focusField(id) {
    var field = id ? document.getElementById(id) : null;
    if (!field || field.offsetParent === null) return false;
    // A searchable picker (picker.js): its typing box takes the focus, not the hidden <select>.
    if (field.tomselect) field.tomselect.focus();
    else field.focus({ preventScroll: true });
    field.scrollIntoView({ block: "center" });
    return true;
  }
  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    var links = summary.querySelectorAll("[data-error-link]");
    for (var i = 0; i < links.length; i++) {
      if (focusField(links[i].hash.slice(1))) return;
    }
    summary.focus();
  }
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("[data-error-link]") : null;
    if (link && focusField(link.hash.slice(1))) event.preventDefault();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// "返回上一页" on the error pages: back through the history when there is one, else the link (home).
document.addEventListener("click", function (event) {
  "use strict";
  var link = event.target instanceof Element ? event.target.closest("[data-history-back]") : null;
  if (link && window.history.length > 1 && document.referrer) {
    event.preventDefault();
    window.history.back();
  }
});
