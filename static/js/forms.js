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
