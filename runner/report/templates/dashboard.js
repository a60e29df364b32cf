/* tfguard dashboard filters. Without JavaScript every row is shown and the form stays hidden. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("matrix");
  if (!form) { return; }
  var keys = ["w", "g", "sev", "s"];

  function current() {
    var f = {};
    keys.forEach(function (k) { f[k] = form.elements[k] ? form.elements[k].value : ""; });
    return f;
  }
  function axisMatch(el, f) {
    var d = el.dataset;
    if (f.w && d.w !== undefined && d.w !== f.w) { return false; }
    if (f.g && d.g !== undefined && d.g !== f.g) { return false; }
    if (f.sev && d.sev !== undefined && d.sev !== f.sev) { return false; }
    return true;
  }
  function statusMatch(el, f) {
    if (!f.s || el.dataset.s === undefined) { return true; }
    return (" " + el.dataset.s + " ").indexOf(" " + f.s + " ") >= 0;
  }
  function applyMatrix(f) {
    if (!table) { return [0, 0]; }
    var heads = table.tHead.rows[0].cells;
    var rows = table.tBodies[0].rows;
    var colKey = [], colHit = [], i, j;
    for (j = 1; j < heads.length; j++) { colKey.push(axisMatch(heads[j], f)); colHit.push(false); }
    var rowShown = 0, colShown = 0;
    for (i = 0; i < rows.length; i++) {
      var cells = rows[i].cells, rowKey = axisMatch(cells[0], f), hit = false;
      for (j = 1; j < cells.length; j++) {
        var m = statusMatch(cells[j], f);
        cells[j].classList.toggle("dim", Boolean(f.s) && !m);
        if (rowKey && colKey[j - 1] && m) { hit = true; colHit[j - 1] = true; }
      }
      rows[i].hidden = !hit;
      if (hit) { rowShown++; }
    }
    for (j = 1; j < heads.length; j++) {
      var show = colKey[j - 1] && colHit[j - 1];
      heads[j].hidden = !show;
      if (show) { colShown++; }
      for (i = 0; i < rows.length; i++) { rows[i].cells[j].hidden = !show; }
    }
    return [rowShown, colShown];
  }
  function apply() {
    var f = current();
    var shown = applyMatrix(f);
    document.querySelectorAll("[data-f]").forEach(function (el) {
      el.hidden = !(axisMatch(el, f) && statusMatch(el, f));
    });
    if (f.w) {
      document.querySelectorAll("details.wl[data-w]").forEach(function (d) { if (d.dataset.w === f.w) { d.open = true; } });
    }
    var out = document.getElementById("shown");
    if (out && table) {
      out.textContent = "Matrix: " + shown[0] + " of " + table.tBodies[0].rows.length + " " + table.dataset.rows +
        ", " + shown[1] + " of " + (table.tHead.rows[0].cells.length - 1) + " " + table.dataset.cols + " shown";
    }
    var none = document.getElementById("nomatch");
    if (none) { none.hidden = shown[0] > 0; }
    try {
      var q = new URLSearchParams();
      keys.forEach(function (k) { if (f[k]) { q.set(k, f[k]); } });
      var s = q.toString();
      history.replaceState(null, "", (s ? "?" + s : location.pathname) + location.hash);
    } catch (e) { /* file:// pages may refuse; filtering still works */ }
  }
  try {
    var params = new URLSearchParams(location.search);
    keys.forEach(function (k) {
      var el = form.elements[k], v = params.get(k);
      if (el && v && Array.prototype.some.call(el.options, function (o) { return o.value === v; })) { el.value = v; }
    });
  } catch (e) { /* no URLSearchParams: start unfiltered */ }
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  apply();
}());
