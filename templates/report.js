"use strict";
// The report's only script, allowed by its hash in the Content-Security-Policy. It reads the
// page table from a JSON data block and renders it with textContent: nothing taken from the
// crawled site is ever parsed as HTML.
(function () {
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var COLS = data.columns;
  var col = {};
  COLS.forEach(function (name, i) { col[name] = i; });
  var rows = data.rows;
  var state = { key: "url", dir: 1, query: "", status: "all", page: 0, size: 50, view: rows };

  var table = document.getElementById("page-table");
  var body = table.querySelector("tbody");
  var search = document.getElementById("page-filter");
  var statusFilter = document.getElementById("page-status");
  var pageSize = document.getElementById("page-size");
  var info = document.getElementById("page-info");
  var prev = document.getElementById("page-prev");
  var next = document.getElementById("page-next");
  var detail = document.getElementById("page-detail");

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function statusClass(row) {
    var s = row[col.status];
    if (typeof s !== "number") return "failed";
    return s < 300 ? "2xx" : s < 400 ? "3xx" : s < 500 ? "4xx" : "5xx";
  }

  function matches(row) {
    if (state.status === "errors" && !row[col.errors]) return false;
    if (state.status !== "all" && state.status !== "errors" && statusClass(row) !== state.status) {
      return false;
    }
    if (!state.query) return true;
    var hay = (row[col.url] + " " + (row[col.title] || "")).toLowerCase();
    return hay.indexOf(state.query) !== -1;
  }

  function compare(a, b) {
    var i = col[state.key];
    var x = a[i], y = b[i];
    if (x === y) return a[col.url] < b[col.url] ? -1 : 1;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * state.dir;
    return String(x).localeCompare(String(y)) * state.dir;
  }

  function apply() {
    state.view = rows.filter(matches).sort(compare);
    state.page = 0;
    render();
  }

  function cell(tr, value, cls) {
    tr.appendChild(el("td", value === null || value === undefined ? "–" : value, cls));
  }

  function render() {
    var start = state.page * state.size;
    var shown = state.view.slice(start, start + state.size);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (row) {
      var tr = el("tr");
      tr.tabIndex = 0;
      tr.dataset.url = row[col.url];
      cell(tr, row[col.url], "mono");
      cell(tr, row[col.status], "num");
      cell(tr, row[col.depth], "num");
      cell(tr, row[col.title]);
      cell(tr, row[col.words], "num");
      cell(tr, row[col.content], "num");
      cell(tr, row[col.errors], "num");
      cell(tr, row[col.findings], "num");
      tr.addEventListener("click", function () { show(row); });
      tr.addEventListener("keydown", function (e) { if (e.key === "Enter") show(row); });
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    var total = state.view.length;
    info.textContent = total
      ? (start + 1) + "–" + (start + shown.length) + " of " + total + " pages"
      : "No page matches.";
    prev.disabled = state.page === 0;
    next.disabled = start + state.size >= total;
    table.querySelectorAll("th[data-key]").forEach(function (th) {
      th.setAttribute("aria-sort", th.dataset.key !== state.key ? "none"
        : state.dir > 0 ? "ascending" : "descending");
    });
  }

  function show(row) {
    var list = el("dl");
    function item(label, value) {
      list.appendChild(el("dt", label));
      list.appendChild(el("dd", value === null || value === undefined || value === "" ? "–" : value));
    }
    item("URL", row[col.url]);
    item("Status", row[col.status]);
    item("Title", row[col.title]);
    item("Meta description", row[col.description]);
    item("Structured data", (row[col.types] || []).join(", "));
    var scores = row[col.scores] || [];
    data.dimensions.forEach(function (name, i) {
      item(name.replace("_", " ") + " score", scores[i]);
    });
    var findings = el("ul");
    (row[col.issues] || []).forEach(function (f) {
      var li = el("li");
      var link = el("a", f[0]);
      link.href = "#rule-" + f[0];
      li.appendChild(link);
      li.appendChild(el("span", " " + data.severities[f[1]] + ": ", "sev-text"));
      li.appendChild(el("span", data.messages[f[2]]));
      findings.appendChild(li);
    });
    var more = row[col.findings] - (row[col.issues] || []).length;
    if (more > 0) findings.appendChild(el("li", "… and " + more + " more in report.json"));
    var heading = el("h3", "Page: " + row[col.url]);
    var close = el("button", "Close", "button");
    close.type = "button";
    close.addEventListener("click", function () { detail.hidden = true; });
    detail.replaceChildren(heading, list, el("h4", "Findings"), findings, close);
    detail.hidden = false;
    detail.scrollIntoView({ block: "nearest" });
  }

  table.querySelectorAll("th[data-key]").forEach(function (th) {
    var button = el("button", th.textContent, "sort");
    button.type = "button";
    th.replaceChildren(button);
    button.addEventListener("click", function () {
      var key = th.dataset.key;
      state.dir = state.key === key ? -state.dir : (th.dataset.type === "number" ? -1 : 1);
      state.key = key;
      apply();
    });
  });
  search.addEventListener("input", function () {
    state.query = search.value.trim().toLowerCase();
    apply();
  });
  statusFilter.addEventListener("change", function () { state.status = statusFilter.value; apply(); });
  pageSize.addEventListener("change", function () {
    state.size = parseInt(pageSize.value, 10) || 50;
    state.page = 0;
    render();
  });
  prev.addEventListener("click", function () { state.page -= 1; render(); });
  next.addEventListener("click", function () { state.page += 1; render(); });
  document.getElementById("page-controls").hidden = false;
  apply();

  var copy = document.getElementById("copy-llms");
  if (copy) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var text = document.getElementById("llms-generated").textContent;
      function done(ok) { copy.textContent = ok ? "Copied" : "Select the text to copy"; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      } else {
        var range = document.createRange();
        range.selectNodeContents(document.getElementById("llms-generated"));
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        done(document.execCommand("copy"));
      }
    });
  }
})();
