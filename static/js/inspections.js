// The inspection form: shows the sections and fields of the chosen domain, offers only that domain's
// instrument types, and adds instrument rows from the formset's empty template. Everything still
// works without this script (all sections shown); the server validates per domain either way.
(function () {
  "use strict";

  var form = document.querySelector("[data-inspection-form]");
  if (!form) {
    return;
  }
  var domainSelect = form.querySelector("[data-domain-select]");
  var rows = form.querySelector("[data-instrument-rows]");
  var template = form.querySelector("template[data-instrument-template]");
  var addButton = form.querySelector("[data-add-instrument]");
  var total = form.querySelector("input[name='instruments-TOTAL_FORMS']");

  function matches(element, domain) {
    var domains = (element.getAttribute("data-domains") || "").split(" ");
    return !domain || domains.indexOf(domain) !== -1;
  }

  function filterTypes(select, domain) {
    Array.prototype.forEach.call(select.options, function (option) {
      var own = option.getAttribute("data-domain");
      var hide = Boolean(domain && own && own !== domain);
      option.hidden = hide;
      option.disabled = hide && !option.selected;
    });
  }

  function numberRows() {
    if (!rows) {
      return;
    }
    Array.prototype.forEach.call(rows.querySelectorAll("[data-row-number]"), function (span, index) {
      span.textContent = String(index + 1);
    });
  }

  function apply() {
    var domain = domainSelect ? domainSelect.value : "";
    Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-domains]"), function (section) {
      section.hidden = !matches(section, domain);
    });
    // Single fields that belong to some domains only (e.g. 到期未轮换 for 民用三表).
    Array.prototype.forEach.call(form.querySelectorAll("input[data-domains]"), function (input) {
      var label = input.closest("label");
      if (label) {
        label.hidden = !matches(input, domain);
      }
    });
    Array.prototype.forEach.call(form.querySelectorAll("select[data-instrument-type]"), function (select) {
      filterTypes(select, domain);
    });
    numberRows();
  }

  function addRow() {
    if (!template || !rows || !total) {
      return;
    }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    var select = row.querySelector("select[data-instrument-type]");
    if (select) {
      filterTypes(select, domainSelect ? domainSelect.value : "");
      select.focus();
    }
    numberRows();
  }

  if (domainSelect) {
    domainSelect.addEventListener("change", apply);
  }
  if (addButton) {
    addButton.addEventListener("click", addRow);
  }
  apply();
})();
