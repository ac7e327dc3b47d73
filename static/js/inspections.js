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

  function addRow(focus) {
    if (!template || !rows || !total) {
      return null;
    }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    var copy = row.querySelector("[data-copy-instrument]");
    if (copy) copy.hidden = false;
    var select = row.querySelector("select[data-instrument-type]");
    if (select) {
      filterTypes(select, domainSelect ? domainSelect.value : "");
      if (focus !== false) select.focus();
    }
    numberRows();
    return row;
  }

  // Copy a row's values into a new row, except what is each instrument's own (出厂编号, 证书号) and
  // the row's bookkeeping (id, 删除).
  var OWN_FIELDS = /-(serial_no|certificate_no|DELETE|id|registered)$/;
  function fieldName(element) {
    return (element.name || "").replace(/^instruments-\d+-/, "");
  }
  function copyInto(source, target) {
    var values = {};
    Array.prototype.forEach.call(source.querySelectorAll("input, select, textarea"), function (el) {
      if (!el.name || OWN_FIELDS.test(el.name)) return;
      values[fieldName(el)] = el.type === "checkbox" ? el.checked : el.value;
    });
    Array.prototype.forEach.call(target.querySelectorAll("input, select, textarea"), function (el) {
      var key = fieldName(el);
      if (!el.name || OWN_FIELDS.test(el.name) || !(key in values)) return;
      if (el.type === "checkbox") el.checked = values[key];
      else el.value = values[key];
    });
  }
  function maxRows() {
    var max = form.querySelector("input[name='instruments-MAX_NUM_FORMS']");
    return max ? parseInt(max.value, 10) : 200;
  }
  function addLike(source, count) {
    var made = null;
    for (var i = 0; i < count && parseInt(total.value, 10) < maxRows(); i++) {
      made = addRow(false);
      if (made) copyInto(source, made);
    }
    if (made) {
      var serial = made.querySelector("input[name$='-serial_no']");
      if (serial) serial.focus();
    }
  }
  function lastRow() {
    var all = rows ? rows.querySelectorAll("[data-instrument-row]") : [];
    return all.length ? all[all.length - 1] : null;
  }

  if (domainSelect) {
    domainSelect.addEventListener("change", apply);
  }
  if (addButton) {
    addButton.addEventListener("click", function () { addRow(); });
  }
  form.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-copy-instrument]") : null;
    if (button) addLike(button.closest("[data-instrument-row]"), 1);
  });
  var addMany = form.querySelector("[data-add-many]");
  if (addMany) {
    addMany.hidden = false;
    addMany.querySelector("button").addEventListener("click", function () {
      var input = addMany.querySelector("input");
      var count = Math.max(1, Math.min(parseInt(input.value, 10) || 1, 100));
      var source = lastRow();
      if (source) addLike(source, count);
    });
  }
  Array.prototype.forEach.call(form.querySelectorAll("[data-copy-instrument]"), function (button) {
    button.hidden = false;
  });
  apply();
})();
