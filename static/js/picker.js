// Searchable pickers (core.widgets.SearchSelect): a <select data-picker> becomes a Tom Select that asks
// its search endpoint for a page of rows at a time as the user types (more on scroll), narrowed by a
// sibling field (data-filter-field, e.g. an inspection's domain). With data-create-url it offers
// quick-add: a dialog shows the endpoint's form, posts it, and picks the new row; a refused form comes
// back with its errors and stays open. Tom Select is loaded only on pages that have a picker.
(function () {
  "use strict";

  function withParams(url, params) {
    var target = new URL(url, window.location.href);
    Object.keys(params).forEach(function (key) {
      if (params[key]) target.searchParams.set(key, params[key]);
    });
    return target.pathname + target.search;
  }

  function filterValue(select) {
    var name = select.dataset.filterField;
    var other = name && select.form ? select.form.elements.namedItem(name) : null;
    return other && "value" in other ? other.value : "";
  }

  function filterParams(select, params) {
    if (select.dataset.filterParam) params[select.dataset.filterParam] = filterValue(select);
    return params;
  }

  function focusFirst(dialog) {
    var field = dialog.querySelector(".has-error input, .has-error select, .has-error textarea") ||
      dialog.querySelector("input:not([type=hidden]), select, textarea");
    if (field) field.focus();
  }

  // The quick-add dialog; `callback` gets the new row ({id, text}) or nothing when it is closed.
  function openDialog(select, input, callback) {
    var text = select.dataset;
    var dialog = document.createElement("dialog");
    dialog.className = "picker-dialog";
    document.body.appendChild(dialog);
    var finished = false;
    function finish(item) {
      if (finished) return;
      finished = true;
      callback(item);
      if (dialog.open) dialog.close();
      dialog.remove();
    }
    function failed() {
      var note = dialog.querySelector("[data-picker-failed]");
      if (!note) {
        note = document.createElement("p");
        note.className = "field-error";
        note.setAttribute("role", "alert");
        note.dataset.pickerFailed = "";
        (dialog.querySelector("form") || dialog).prepend(note);
      }
      note.textContent = text.textFailed;
      dialog.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
    }
    function show(html) {
      // The server's own template (same origin, escaped by Django): the registry's form.
      dialog.innerHTML = html;
      var form = dialog.querySelector("form");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
          .then(function (response) {
            if (response.status === 201) return response.json().then(finish);
            if (response.ok) return response.text().then(show);
            throw new Error(String(response.status));
          })
          .catch(failed);
      });
      var cancel = dialog.querySelector("[data-picker-cancel]");
      if (cancel) cancel.addEventListener("click", function () { finish(); });
      if (!dialog.open) dialog.showModal();
      focusFirst(dialog);
    }
    dialog.addEventListener("cancel", function () { finish(); });
    fetch(withParams(select.dataset.createUrl, filterParams(select, { name: input })), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(show)
      .catch(function () { finish(); });
  }

  function enhance(select) {
    if (select.tomselect) return;
    var text = select.dataset;
    var canAdd = false;
    var settings = {
      plugins: ["virtual_scroll"],
      valueField: "id",
      labelField: "text",
      searchField: [],
      maxOptions: 500,
      preload: "focus",
      loadThrottle: 250,
      allowEmptyOption: false,
      placeholder: text.placeholder || "",
      firstUrl: function (query) {
        return withParams(select.dataset.searchUrl, filterParams(select, { q: query }));
      },
      load: function (query, callback) {
        var self = this;
        fetch(self.getUrl(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            if (!response.ok) throw new Error(String(response.status));
            return response.json();
          })
          .then(function (page) {
            canAdd = Boolean(page.can_add);
            if (page.next) self.setNextUrl(query, page.next);
            callback(page.results);
          })
          .catch(function () { callback(); });
      },
      render: {
        option: function (data, escape) {
          var code = data.credit_code ? '<small class="picker-code">' + escape(data.credit_code) + "</small>" : "";
          return '<div class="picker-option"><span>' + escape(data.text) + "</span>" + code + "</div>";
        },
        item: function (data, escape) { return "<div>" + escape(data.text) + "</div>"; },
        option_create: function (data, escape) {
          return '<div class="create">' + escape(text.textAdd || "") + "<strong>" + escape(data.input) + "</strong></div>";
        },
        no_results: function () { return '<div class="no-results">' + (text.textNone || "") + "</div>"; },
        loading_more: function () { return '<div class="loading-more-results">' + (text.textLoading || "") + "</div>"; },
        no_more_results: function () { return ""; },
      },
    };
    if (select.dataset.createUrl) {
      settings.create = function (input, callback) { openDialog(select, input, callback); };
      settings.createFilter = function () { return canAdd; };
    }
    var hadFocus = document.activeElement === select;
    var picker = new window.TomSelect(select, settings);
    // The error summary (forms.js) focused this field before Tom Select loaded: pass it on.
    if (hadFocus) picker.focus();
    var name = select.dataset.filterField;
    var other = name && select.form ? select.form.elements.namedItem(name) : null;
    if (other && other.addEventListener) {
      // Another domain: forget the rows loaded for the last one (the chosen row stays chosen).
      other.addEventListener("change", function () {
        picker.clearOptions();
        picker.clearPagination();
        picker.loadedSearches = {};
      });
    }
  }

  function loadVendor(first, ready) {
    if (window.TomSelect) { ready(); return; }
    if (first.dataset.vendorCss && !document.querySelector("link[data-picker-css]")) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = first.dataset.vendorCss;
      link.dataset.pickerCss = "";
      // Before the site's own sheets, so that app.css can adjust the picker.
      var own = document.querySelector("link[rel=stylesheet][href*='css/app']");
      document.head.insertBefore(link, own);
    }
    var script = document.createElement("script");
    script.src = first.dataset.vendorJs;
    script.addEventListener("load", ready);
    document.head.appendChild(script);
  }

  function start() {
    var selects = document.querySelectorAll("select[data-picker]");
    if (!selects.length) return;
    loadVendor(selects[0], function () { selects.forEach(enhance); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
