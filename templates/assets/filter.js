// Filters a table's rows by a <select>'s value against each row's data-dept (no external script).
document.querySelectorAll("select[data-filter-table]").forEach(function (select) {
  var table = document.getElementById(select.getAttribute("data-filter-table"));
  if (!table) return;
  select.addEventListener("change", function () {
    table.querySelectorAll("tbody tr").forEach(function (row) {
      row.hidden = select.value !== "" && row.getAttribute("data-dept") !== select.value;
    });
  });
});
