// Tables that stay readable on any screen (site.css does the layout; this only adds what CSS cannot):
// - list tables get each cell's column title as data-label, so on a phone each row can show as a card
//   of "标题：值" lines (class dc-stack); tables with rowspans keep their grid and scroll instead,
//   except the indicator tables of record pages (class dc-spanned), whose rows are cards all the same:
//   their labels are found through the spans here rather than written into thousands of pages, and a
//   column head marked dc-short marks its cells (kept narrow: ≥, 万元);
// - a table wider than its box scrolls inside it: the box becomes a labelled, keyboard-focusable region
//   with a visible cue (class dc-scroll--overflow).
(function () {
  var WIDE = 7; // columns from which a table is stacked in 长者模式 too (class dc-wide)
  // The column each body cell starts in, counting the cells that rows above span into this one.
  function columns(body) {
    var taken = [], found = [];
    Array.prototype.forEach.call(body.rows, function (row, r) {
      var c = 0;
      taken[r] = taken[r] || [];
      Array.prototype.forEach.call(row.cells, function (cell) {
        while (taken[r][c]) c++;
        found.push([cell, c]);
        for (var i = 0; i < cell.rowSpan; i++) {
          taken[r + i] = taken[r + i] || [];
          for (var j = 0; j < cell.colSpan; j++) taken[r + i][c + j] = true;
        }
        c += cell.colSpan;
      });
    });
    return found;
  }
  document.querySelectorAll(".md-typeset table.dc-spanned").forEach(function (table) {
    var heads = table.tHead && table.tHead.rows[0] ? table.tHead.rows[0].cells : [];
    if (!heads.length) return;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      columns(body).forEach(function (pair) {
        var head = heads[pair[1]];
        if (!head) return;
        pair[0].setAttribute("data-label", head.textContent.trim());
        if (pair[0].tagName === "TD" && head.classList.contains("dc-short")) pair[0].classList.add("dc-short");
      });
    });
    table.classList.add("dc-stack");
  });
  document.querySelectorAll(".md-typeset table.dc-list, .md-typeset table.dc-form").forEach(function (table) {
    if (table.classList.contains("dc-stack") || !table.tHead) return;
    var heads = table.tHead.rows[0] ? table.tHead.rows[0].cells : [];
    var spanned = table.querySelector("td[rowspan], th[rowspan], td[colspan], th[colspan]");
    if (!heads.length || spanned) return;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i].textContent.trim());
        });
      });
    });
    table.classList.add("dc-stack");
    if (heads.length >= WIDE) table.classList.add("dc-wide");
  });
  // Short cells (dates, department names, counts) stay on one line: 2026年9月25日, not 2026年9月25/日.
  document.querySelectorAll(".md-typeset table.dc-list td").forEach(function (cell) {
    if (cell.textContent.trim().length <= 12) cell.classList.add("dc-nowrap");
  });
  var boxes = document.querySelectorAll(".md-typeset .dc-scroll");
  function mark() {
    boxes.forEach(function (box) {
      var over = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("dc-scroll--overflow", over);
      if (over) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() + "，" : "") + "可左右滚动");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
  // 长者模式 changes the type size without a resize event.
  new MutationObserver(mark).observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
})();
