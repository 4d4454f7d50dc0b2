"""One sheet of an official form read into a record: the title (form, year, unit), the indicator
table (`xlsx_table`), and every other cell as a label next to — or above — its value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from generator.editor.xlsx_departments import close_dept, find_dept, strip_code
from generator.editor.xlsx_funding import read_funding
from generator.editor.xlsx_labels import is_label
from generator.editor.xlsx_layouts import (
    SPECIAL,
    STRUCTURAL,
    Cell,
    Form,
    Grid,
    months_in,
    norm,
    parse_date,
    parse_period,
    parse_ticks,
    record_labels,
    unit_in,
    year_in,
)
from generator.editor.xlsx_rows import read_rows_tables
from generator.editor.xlsx_table import Table, match_enum, read_table
from generator.editor.yaml_write import Quoted
from generator.model import funding as fund
from generator.model.catalog import Catalog
from generator.problems import Problems
from generator.source.numbers import normalise_number

QUOTED_FIELDS = ("project_code",)
_NUMBERING = re.compile(r"^\s*(?:目标\s*\d+|\d+|[（(]\d+[)）]|[一二三四五六七八九十]+)\s*[:：.、)）]?\s*")
_INLINE = re.compile(r"^\s*([^:：]{1,20})[:：]\s*(.+)$", re.S)
# What a subtitle holds besides brackets: （2026年度）, （1-7月）, 2026年1-7月.
_SUBTITLE = re.compile(r"[()]|20\d{2}年度?|1[-—–~～至到]\d{1,2}月")


@dataclass
class Options:
    kind: str | None = None
    dept: str | None = None
    year: int | None = None
    force: bool = False


class SheetReader:
    def __init__(self, grid: Grid, form: Form, catalog: Catalog, problems: Problems, file: str,
                 title: Cell | None, number: int = 1) -> None:
        self.grid, self.form, self.catalog, self.problems, self.file = grid, form, catalog, problems, file
        self.number = number
        self.kind = catalog.kinds[form.kind]
        self.labels = record_labels(self.kind)
        self.title_cell = title
        self.used: set[tuple[int, int]] = set()
        self.values: dict[str, Any] = {}
        self.sources: dict[str, Cell] = {}
        self.special: dict[str, str] = {}
        self.special_at: dict[str, str] = {}
        self.special_label: dict[str, str] = {}
        self.rows_fields: dict[str, list[dict[str, str]]] = {}
        self.unit: str | None = None
        self.table: Table | None = None
        self.funding: dict[str, Any] | None = None

    # -- the parts of a sheet ----------------------------------------------------------------------

    def read(self, options: Options, departments: list[dict[str, Any]]) -> dict[str, Any] | None:
        g = self.grid
        self.table = read_table(g, self.catalog, self.kind, self.problems, self.file, self._heading)
        if self.table is not None:
            self.used |= self.table.cells
        # 年度履职目标 / 年度主要任务 first: its 预算金额 heading must not start a funding table.
        for rows in read_rows_tables(g, self.kind, self.used, self._heading):
            self.used |= rows.cells
            self.rows_fields[rows.name] = rows.rows
            for cell, column in rows.labels_as_values:
                self._label_as_value(cell, f"{self.kind.by_name[rows.name]['title']}：{column}")
        if "funding" in self.kind.by_name:
            self.funding, cells = read_funding(g, self.catalog.funding, self.used)
            self.used |= cells
        rest = [c for c in g.filled() if (c.row, c.col) not in self.used]
        self._title(rest)
        for cell in rest:
            if (cell.row, cell.col) not in self.used:
                self._label(cell)
        self._funding_totals()
        self._leftovers()
        return self._record(options, departments)

    def _title(self, cells: list[Cell]) -> None:
        """The title, a subtitle such as （2026年度）, and a unit cell such as 单位：万元 near them."""
        top = self.title_cell.row if self.title_cell else 0
        for cell in cells:
            unit = unit_in(cell.text)
            if unit and self.unit is None:
                self.unit = unit
            flat = re.sub(r"\s", "", unicodedata.normalize("NFKC", cell.text))
            subtitle = not _SUBTITLE.sub("", flat)
            if cell is self.title_cell or (cell.row <= top + 2 and (subtitle or flat.startswith("单位"))):
                if year_in(cell.text) and "year" not in self.special:
                    self.special["year"] = str(year_in(cell.text))
                self._use(cell)

    def _heading(self, text: str) -> bool:
        return is_label(text, self.catalog)

    def _label_as_value(self, cell: Cell, label: str) -> None:
        self._use(cell)
        self.problems.add("import_label_as_value", self.file, cell=self.grid.ref(cell), value=_short(cell.text),
                          label=label)

    def _funding_totals(self) -> None:
        """The amount fields that are the funding table's total row (kinds.yml funding_total), from that row."""
        if not self.funding:
            return
        if self.unit is None and self.funding.get("unit"):
            self.unit = self.funding["unit"]
        total = fund.total_row([self.funding], self.catalog.funding)
        for name, key in self.kind.funding_total.items():
            if total is not None and name not in self.values and not fund.is_empty(total.get(key)):
                self.values[name] = self._convert(name, [Cell(0, 0, total[key])])

    def _classify(self, cell: Cell) -> tuple[str, str] | None:
        key = cell.key
        if key in self.labels:
            return "field", self.labels[key]
        if key in SPECIAL:
            return "special", SPECIAL[key]
        if key in STRUCTURAL:
            return "structural", key
        return None

    def _is_label(self, cell: Cell) -> bool:
        kind = self._classify(cell)
        return kind is not None and kind[0] != "structural"

    def _label(self, cell: Cell) -> None:
        kind = self._classify(cell)
        if kind is None:
            match = _INLINE.match(cell.text)
            inline = self._classify(Cell(0, 0, match.group(1))) if match else None
            if inline and inline[0] != "structural":
                self._use(cell)
                self._assign(inline, [Cell(cell.row, cell.col, match.group(2).strip())], cell)
            return
        self._use(cell)
        if kind[0] == "structural":
            return
        self._assign(kind, self._values_of(cell, kind[1]), cell)

    def _values_of(self, label: Cell, name: str) -> list[Cell]:
        """A label's value cells: to its right (one per row it spans), or below it when it heads a column."""
        g = self.grid
        if self.table is not None and label.row > self.table.last_row:
            col = self.table.column_for(name)
            if col is not None:   # a 总分 row under the table: the total sits in the table's own column
                under = g.at(label.row, col.c0)
                weight = self.table.column_for("weight")
                if weight is not None and g.at(label.row, weight.c0) is not None:
                    self._use(g.at(label.row, weight.c0))  # the total of the weights: always 100, derived
                return [under] if under is not None and under.text else []
        right, blank = [], False
        for r in range(label.row, label.row + label.rows):
            cell = g.at(r, label.last_col + 1)
            if cell is None or cell.row != r or (cell.row, cell.col) in self.used:
                continue
            if self._classify(cell) is None:
                if cell.text:
                    right.append(cell)
                else:
                    blank = True
        if right:
            return right
        # A blank to the right is an empty value, unless the label sits in a row of column headings
        # (年初预算数 | 全年预算数 | … | 得分 | <blank>), whose values are in the row below.
        left = g.at(label.row, label.col - 1) if label.col > 1 else None
        if blank and not (left is not None and left.row == label.row and self._is_label(left)):
            return []
        below = g.at(label.row + label.rows, label.col)
        if (below is not None and below.row == label.row + label.rows and below.col == label.col and below.text
                and (below.row, below.col) not in self.used and self._classify(below) is None):
            return [below]
        return []

    def _assign(self, kind: tuple[str, str], cells: list[Cell], label: Cell) -> None:
        role, name = kind
        title = self.kind.by_name[name]["title"] if role == "field" else label.text
        for cell in [c for c in cells if self._heading(c.text)]:
            self._label_as_value(cell, title)  # a heading beside a heading: that field is blank on the form
        cells = [c for c in cells if not self._heading(c.text)]
        if not cells:
            return
        for cell in cells:
            self._use(cell)
        text = "\n".join(c.text for c in cells)
        if role == "special":
            if name in self.special_at:
                self._duplicate(label, cells, self.special_at[name])
                return
            self.special[name] = text
            self.special_at[name] = label.ref
            self.special_label[name] = label.text
            return
        if name in self.values:
            self._duplicate(label, cells, self.sources[name].ref)
            return
        self.sources[name] = label
        ticks = parse_ticks(text) if f"{name}_options" in self.kind.by_name else None
        if ticks is not None:
            # A row of tick boxes: the options as printed, the value only when exactly one box is ticked.
            self.values[f"{name}_options"] = ticks[0]
            if len(ticks[1]) == 1:
                self.values[name] = ticks[1][0]
            return
        self.values[name] = self._convert(name, cells)

    def _duplicate(self, label: Cell, cells: list[Cell], first: str) -> None:
        for cell in cells:
            self.problems.add("import_duplicate", self.file, cell=self.grid.ref(cell), label=label.text, first=first,
                              value=cell.text)

    def _convert(self, name: str, cells: list[Cell]) -> Any:
        spec = self.kind.by_name[name]
        first = cells[0]
        text = "\n".join(c.text for c in cells)
        if name in self.catalog.list_fields:
            return [_NUMBERING.sub("", line).strip() for c in cells for line in c.text.splitlines() if line.strip()]
        if spec["type"] in ("number", "integer"):
            if self.unit is None and spec.get("x-unit-field") and first.text.endswith("元"):
                self.unit = "万元" if first.text.endswith("万元") else "元"
            number = normalise_number(first.text, self.unit if spec.get("x-unit-field") else None)
            try:
                return Decimal(number)
            except ArithmeticError:
                return first.text
        if spec["type"] == "date":
            if isinstance(first.value, (date, datetime)):
                return first.value.date() if isinstance(first.value, datetime) else first.value
            return parse_date(first.text) or first.text
        allowed = spec.get("constraints", {}).get("enum")
        if allowed:
            return match_enum(text, allowed)
        return Quoted(text) if name in QUOTED_FIELDS else text

    def _use(self, cell: Cell | None) -> None:
        if cell is not None:
            self.used.add((cell.row, cell.col))

    def _leftovers(self) -> None:
        """Report, row by row, every filled cell nothing above has read."""
        rows: dict[int, list[Cell]] = {}
        for cell in self.grid.filled():
            if (cell.row, cell.col) not in self.used:
                rows.setdefault(cell.row, []).append(cell)
        for cells in rows.values():
            self.problems.add("import_unmapped", self.file,
                              cells="、".join(f"{self.grid.ref(c)}“{_short(c.text)}”" for c in cells))

    # -- the record ----------------------------------------------------------------------------------

    def _record(self, options: Options, departments: list[dict[str, Any]]) -> dict[str, Any] | None:
        g, kind, sp = self.grid, self.kind, self.special
        year = options.year or _int(sp.get("year")) or (year_in(self.title_cell.text) if self.title_cell else None)
        dept = options.dept or find_dept(sp.get("dept", ""), departments)
        if dept is None and not options.dept and sp.get("dept"):
            dept = close_dept(sp["dept"], departments)
            if dept is not None:
                name = next(d.get("name") for d in departments if str(d.get("code")) == dept)
                self.problems.add("import_dept_close", self.file, sheet=g.sheet, value=sp["dept"], name=name,
                                  dept_code=dept)
        ok = True
        if year is None:
            self.problems.add("import_no_year", self.file, sheet=g.sheet)
            ok = False
        known = [d.get("code") for d in departments] or "（尚未登记）"
        if dept is None and sp.get("dept"):
            self.problems.add("import_dept_unregistered", self.file, sheet=g.sheet, value=strip_code(sp["dept"]),
                              hint="", known=known)
            ok = False
        elif dept is None:
            self.problems.add("import_no_dept", self.file, sheet=g.sheet, value="（表中未填写）", known=known)
            ok = False
        if not ok:
            return None
        values = dict(self.form.defaults)
        values.update(self.values)
        if "period" in sp and "period_text" in kind.by_name:
            values.setdefault("period_text", sp["period"])  # as printed, always
        if "period" in sp and "period_start" in kind.by_name and _has_days(sp["period"]):
            # Dates only when the sheet prints the days: 2026.01-2026.12 gets no invented 1st or 31st.
            start, end = parse_period(sp["period"])
            values.setdefault("period_start", start)
            values.setdefault("period_end", end)
        if "funds_unit" in kind.by_name and "funds_unit" not in values:
            if self.unit:
                values["funds_unit"] = self.unit
            elif any(kind.by_name[n].get("x-unit-field") for n in values):
                self.problems.add("import_no_unit", self.file, sheet=g.sheet)
        if "months" in kind.by_name and "months" not in values:
            months = next((months_in(c.text) for c in g.filled() if months_in(c.text)), None)
            if months:
                values["months"] = months
            else:
                self.problems.add("import_no_months", self.file, sheet=g.sheet)
        # No grade is worked out from the score: a grade the sheet does not print is not imported.
        # A department-wide form names no project: its record is the department's own.
        name = sp.get("name") or sp.get("dept") or g.sheet
        title = name if re.match(r"^20\d{2}年", name) else f"{year}年{name}"
        if not title.endswith(self.form.suffix):
            title += self.form.suffix
        code = values.get("project_code")
        slug = re.sub(r"[^A-Za-z0-9_-]", "", str(code or "")) or f"sheet{self.number}"
        record: dict[str, Any] = {"id": f"{dept}-{year}-{kind.name.replace('_', '-')}-{slug}"[:80],
                                  "title": title, "dept": dept, "year": year}
        if sp.get("dept") and "dept_name" in kind.by_name:
            # The department as the form prints it, and the form's own label for it, when they differ from
            # the registered name and the usual 主管部门.
            registered = next((d.get("name") for d in departments if str(d.get("code")) == dept), None)
            if norm(sp["dept"]) != norm(registered or ""):
                record["dept_name"] = sp["dept"]
            if norm(self.special_label.get("dept", "")) != "主管部门":
                record["dept_label"] = self.special_label["dept"]
        if "agency" in self.sources and "agency_label" in kind.by_name and self.sources["agency"].key != "实施单位":
            record["agency_label"] = self.sources["agency"].text
        if self.funding:
            record["funding"] = [self.funding]
        record.update({name: rows for name, rows in self.rows_fields.items() if name in kind.by_name})
        if sp.get("name") and "project_name" in kind.by_name:
            record["project_name"] = sp["name"]  # as printed, beside the title made from it
        for spec in kind.fields:
            if spec["name"] in values and values[spec["name"]] not in (None, "", []):
                record.setdefault(spec["name"], values[spec["name"]])
        if kind.has_indicators:
            rows = self.table.rows if self.table else []
            if self.table is None:
                self.problems.add("import_no_indicators", self.file, sheet=g.sheet)
            record["indicators"] = [{k: (Quoted(v) if k == "target" else v) for k, v in r.items()} for r in rows]
        return record


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else (year_in(text) if text else None)


def _has_days(text: str) -> bool:
    """Both ends of a period written to the day (2026-01-01至2026-12-31, 2026年1月1日-12月31日)."""
    flat = unicodedata.normalize("NFKC", text)
    days = re.findall(r"20\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}|\d{1,2}\s*月\s*\d{1,2}\s*日", flat)
    return len(days) >= 2


def _short(text: str, limit: int = 40) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"

