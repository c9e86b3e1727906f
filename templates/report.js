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

  var labels = Array.from(table.querySelectorAll("thead th")).map(function (th) {
    return th.textContent;
  });

  function cell(tr, value, cls) {
    var td = el("td", value === null || value === undefined ? "–" : value, cls);
    td.dataset.label = labels[tr.cells.length];
    tr.appendChild(td);
    return td;
  }

  // A page URL as a link: http(s) only, so no site can plant a javascript: URL.
  function pageLink(url) {
    if (url === null || url === undefined) return el("span", "site");
    if (!/^https?:\/\//i.test(url)) return el("span", url, "mono");
    var a = el("a", url, "mono");
    a.href = url;
    a.rel = "nofollow noreferrer";
    return a;
  }

  function render() {
    var start = state.page * state.size;
    var shown = state.view.slice(start, start + state.size);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (row) {
      var tr = el("tr");
      tr.tabIndex = 0;
      tr.dataset.url = row[col.url];
      var where = cell(tr, null);
      where.replaceChildren(pageLink(row[col.url]));
      where.addEventListener("click", function (e) { if (e.target.tagName === "A") e.stopPropagation(); });
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

  // Each rule's findings: the server wrote the first ones (for print and for no script); the
  // script pages through them all, and offers them as CSV and JSON.
  var findings = JSON.parse(document.getElementById("finding-data").textContent);
  var FINDINGS_PAGE = 50;

  function findingRow(f) {
    var tr = el("tr");
    var where = el("td");
    where.dataset.label = "Where";
    if (f[3]) where.appendChild(el("span", "new", "new"));
    where.appendChild(pageLink(f[0]));
    if (f[1]) where.appendChild(document.createTextNode(":" + f[1]));
    var what = el("td", findings.messages[f[2]]);
    what.dataset.label = "Finding";
    if (f[4].length) {
      var linked = el("div", f[6] + " ", "linked");
      f[4].forEach(function (src, i) {
        if (i) linked.appendChild(document.createTextNode(", "));
        linked.appendChild(pageLink(src));
      });
      if (f[5] > f[4].length) linked.appendChild(document.createTextNode(" and " + (f[5] - f[4].length) + " more"));
      what.appendChild(linked);
    }
    tr.append(where, what);
    return tr;
  }

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    // A leading =, +, - or @ would run as a formula in a spreadsheet.
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function download(box, name, type, text, label) {
    var a = el("a", label, "button");
    a.download = name;
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    box.appendChild(a);
  }

  document.querySelectorAll("table.findings").forEach(function (findingTable) {
    var rule = findingTable.dataset.rule;
    var all = findings.rules[rule];
    if (!all) return;
    var records = all.map(function (f) {
      return { rule: rule, url: f[0], line: f[1], message: findings.messages[f[2]], new: !!f[3],
               linked_from: f[4], linking_pages: f[5] };
    });
    var box = document.querySelector('.downloads[data-rule="' + rule + '"]');
    var csv = ["rule,url,line,message,new,linked_from"].concat(records.map(function (r) {
      return [r.rule, r.url, r.line, r.message, r.new, r.linked_from.join(" ")].map(csvCell).join(",");
    })).join("\r\n") + "\r\n";
    download(box, rule + "-findings.csv", "text/csv", csv, "Download CSV");
    download(box, rule + "-findings.json", "application/json", JSON.stringify(records, null, 1), "Download JSON");
    box.hidden = false;
    var cap = findingTable.parentNode.querySelector(".cap");
    if (cap && findings.complete) cap.hidden = true;
    if (all.length <= FINDINGS_PAGE) return;
    var page = 0;
    var pager = el("div", null, "pager");
    var back = el("button", "Previous", "button");
    var status = el("span", "");
    var forward = el("button", "Next", "button");
    back.type = forward.type = "button";
    pager.append(back, " ", status, " ", forward);
    findingTable.after(pager);
    function show() {
      var start = page * FINDINGS_PAGE;
      var shown = all.slice(start, start + FINDINGS_PAGE);
      findingTable.tBodies[0].replaceChildren.apply(findingTable.tBodies[0], shown.map(findingRow));
      status.textContent = (start + 1) + "–" + (start + shown.length) + " of " + all.length + " findings";
      back.disabled = page === 0;
      forward.disabled = start + FINDINGS_PAGE >= all.length;
    }
    back.addEventListener("click", function () { page -= 1; show(); });
    forward.addEventListener("click", function () { page += 1; show(); });
    show();
  });

  // Print what is folded: passed checks, page dates, the bot table.
  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = Array.from(document.querySelectorAll("details:not([open])"));
    folded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    folded.forEach(function (d) { d.open = false; });
  });

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
