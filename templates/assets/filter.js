// Filters a table's rows by one or more <select>s (data-filter-table = the table's id; data-filter-key =
// the row attribute compared, data-<key>, default dept). A row shows when it matches every select.
(function () {
  var selects = document.querySelectorAll("select[data-filter-table]");
  function key(select) { return select.getAttribute("data-filter-key") || "dept"; }
  function apply(tableId) {
    var table = document.getElementById(tableId);
    if (!table) return;
    var mine = Array.prototype.filter.call(selects, function (s) {
      return s.getAttribute("data-filter-table") === tableId;
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      row.hidden = !mine.every(function (s) {
        return s.value === "" || row.getAttribute("data-" + key(s)) === s.value;
      });
    });
  }
  selects.forEach(function (select) {
    select.addEventListener("change", function () { apply(select.getAttribute("data-filter-table")); });
  });
})();
