"""How the usual Excel layouts of the official forms are read: merged cells, labels beside (or above)
their values, a title naming the form, an indicator table with a one- or two-row header.

Only the wording printed on the forms lives here (labels that differ from the field titles in
`schemas/`); which fields exist, their types and allowed values always come from the catalogue.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generator.model.catalog import Catalog, Kind

# Bounds on what is scanned: a sheet formatted down to row 1,048,576 is still a one-page form.
MAX_ROWS = 2000
MAX_COLS = 60

_PARENS = re.compile(r"\([^)]*\)")
_MONTHS = re.compile(r"1\s*[-—–~～至到]\s*(\d{1,2}|N)\s*月")
_NOISE = re.compile(r"[\s*:]")
_YEAR = re.compile(r"(20\d{2})\s*年")
_UNIT = re.compile(r"(?:单位\s*[:：]\s*|[（(]\s*)(万元|元)")


def norm(text: Any) -> str:
    """A label as a lookup key: full-width folded, bracketed notes, spaces, colons and a leading
    其中 removed, and any "1-7月" written as "1-N月" (the schema titles say 1–N月)."""
    t = unicodedata.normalize("NFKC", str(text))
    t = _MONTHS.sub("1-N月", t)
    t = _PARENS.sub("", t)
    t = _NOISE.sub("", t)
    return t.removeprefix("其中")


def months_in(text: str) -> int | None:
    match = _MONTHS.search(unicodedata.normalize("NFKC", text))
    if match and match.group(1).isdigit() and 1 <= int(match.group(1)) <= 12:
        return int(match.group(1))
    return None


def year_in(text: str) -> int | None:
    match = _YEAR.search(unicodedata.normalize("NFKC", text))
    return int(match.group(1)) if match else None


def unit_in(text: str) -> str | None:
    match = _UNIT.search(unicodedata.normalize("NFKC", text))
    return match.group(1) if match else None


# ---- the forms -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Form:
    kind: str
    names: tuple[str, ...]          # what the title says (normalised substrings)
    defaults: dict[str, str]        # fields the form itself decides (their values are schema enum values)
    suffix: str                     # appended to the project name to make the record title
    primary: bool = True            # the kind's own form (kinds.yml `form`); its name is matched too


# Order matters: 绩效目标监控情况表 contains 绩效目标, and 部门整体支出绩效目标表 contains 绩效目标表 (自评表 alike).
FORMS = (
    Form("monitoring", ("绩效目标监控情况表", "绩效目标执行监控表", "绩效监控情况表", "绩效监控表"), {},
         "绩效监控情况"),
    Form("evaluation", ("部门整体支出绩效自评",), {"eval_type": "单位自评", "variant": "部门整体支出"},
         "部门整体支出绩效自评结果", primary=False),
    Form("evaluation", ("绩效自评表",), {"eval_type": "单位自评"}, "绩效自评结果"),
    Form("goal", ("部门整体支出绩效目标",), {"variant": "部门整体支出"}, "部门整体支出绩效目标", primary=False),
    Form("goal", ("绩效目标申报表", "绩效目标表"), {"variant": "项目支出"}, "绩效目标"),
)
IMPORTABLE = ("goal", "monitoring", "evaluation")  # the kinds FORMS covers, in the order editors meet them


def detect_form(text: str, catalog: Catalog) -> Form | None:
    key = norm(text)
    for form in FORMS:
        names = form.names
        if form.primary and form.kind in catalog.kinds:
            names += (norm(catalog.kinds[form.kind].form),)
        if any(n in key for n in names):
            return form
    return None


def form_for_kind(kind: str) -> Form:
    return next(f for f in FORMS if f.kind == kind and f.primary)


# ---- labels ----------------------------------------------------------------------------------------

# Record labels printed on the forms that differ from the field titles, by kind ("*": every kind).
RECORD_ALIASES: dict[str, dict[str, str]] = {
    "*": {"项目编码": "project_code", "项目编号": "project_code", "预算执行单位": "agency", "实施单位名称": "agency",
          "项目执行单位": "agency", "执行单位": "agency", "注": "footnote"},
    "goal": {"项目负责人": "contact", "项目负责人及联系电话": "contact", "联系人及电话": "contact",
             "中期目标": "overall_goal", "中长期目标": "overall_goal", "长期目标": "overall_goal",
             "年度总体目标": "annual_goals", "年度绩效目标": "annual_goals", "部门职能职责": "dept_functions",
             "实施期绩效目标": "overall_goal", "本年度绩效目标": "annual_goals", "部门职能概述": "dept_functions",
             "部门职责概述": "dept_functions", "职能职责": "dept_functions",
             "资金总额": "funds_total", "中期资金总额": "project_funds_total", "当年财政拨款": "funds_fiscal",
             "上年结转资金": "funds_carryover"},
    "monitoring": {"1-N月执行率": "execution_rate", "1-N月实际完成情况": "goal_progress",
                   "目标完成情况": "goal_progress", "预警": "warning"},
    "evaluation": {"分值": "execution_weight", "得分": "execution_score", "自评得分": "score",
                   "主要问题": "problems", "改进建议": "measures", "下一步改进措施": "measures",
                   "等级": "grade", "自评等级": "grade", "目标实际完成情况": "goal_actual"},
}

# Indicator-table column headings that differ from the indicator field titles.
ROW_ALIASES: dict[str, str] = {
    "年度指标值": "target", "目标值": "target", "年度目标值": "target", "计算符号": "operator",
    "度量单位": "unit", "单位": "unit", "指标值说明": "note", "备注": "note",
    "1-N月实际完成值": "actual", "1-N月执行情况": "actual", "全年实际完成值": "actual",
    "全年预计完成情况": "expected", "偏差原因分析": "deviation_category", "偏差原因": "deviation_category",
    "原因说明": "deviation_reason", "预警": "warning", "权重": "weight",
    "未完成原因分析及改进措施": "deviation_analysis", "未完成原因分析": "deviation_analysis",
    "指标名称": "name", "绩效指标名称": "name", "指标内容": "name", "指标分值": "weight", "完成值": "actual",
    "指标性质": "operator", "半年度指标执行情况": "actual", "指标执行情况": "actual", "指标值及单位": "target",
    "绩效目标值": "target", "年度目标值及单位": "target",
}

# Labels the importer reads itself: they feed the id, title, dept, year, dates and unit.
SPECIAL: dict[str, str] = {
    "项目名称": "name", "项目全称": "name", "项目支出名称": "name", "主管部门": "dept", "主管部门及代码": "dept",
    "主管单位": "dept", "部门名称": "dept", "单位名称": "dept", "预算部门": "dept",
    "年度": "year", "预算年度": "year", "计划起止日期": "period", "项目期": "period", "项目实施期": "period",
    "项目支出实施期": "period", "实施期": "period", "实施期限": "period", "项目起止时间": "period",
    "资金单位": "unit", "单位": "unit", "金额单位": "unit",
}

# Block headings that carry no value of their own (the values sit in the cells they head).
STRUCTURAL = frozenset({"项目资金", "资金情况", "项目资金情况", "绩效指标", "年度绩效指标", "总体目标", "年度总体目标",
                        "年度资金总额", "资金总额", "绩效目标", "指标", "年度总体目标完成情况", "年度绩效指标完成情况",
                        "年度部门整体支出预算", "年度预算安排", "部门整体支出预算"})
TOTALS = frozenset({"总分", "合计", "总计"})
MARKS = frozenset({"√", "✓", "✔", "☑", "是", "1", "x", "X", "×", "●", "■", "Y", "y"})


def label_index(fields: list[dict[str, Any]], aliases: dict[str, str], allowed: list[str] | None = None,
                ) -> dict[str, str]:
    """Normalised label → field name: full titles first, then the part after a colon
    ("年度总体目标：预期目标" is labelled 预期目标 on the form), then the form's own wording."""
    names = [f["name"] for f in fields if allowed is None or f["name"] in allowed]
    titles = {f["name"]: f["title"] for f in fields if f["name"] in names}
    index: dict[str, str] = {}
    for name, title in titles.items():
        index.setdefault(norm(title), name)
    for name, title in titles.items():
        if "：" in title:
            index.setdefault(norm(title.split("：", 1)[1]), name)
    for label, name in aliases.items():
        if name in names:
            index.setdefault(norm(label), name)
    return index


def record_labels(kind: Kind) -> dict[str, str]:
    aliases = {**RECORD_ALIASES["*"], **RECORD_ALIASES.get(kind.name, {})}
    index = label_index(kind.fields, aliases)
    for identity in ("id", "title", "dept", "year", "summary"):
        index = {k: v for k, v in index.items() if v != identity}
    # The importer reads these labels itself (SPECIAL): 项目名称 makes the title and project_name.
    special = {norm(label) for label in SPECIAL}
    return {k: v for k, v in index.items() if k not in special}


def row_labels(catalog: Catalog, kind: Kind) -> dict[str, str]:
    allowed = [n for n in catalog.indicator_fields_for(kind) if n != "record_id"]
    return label_index(catalog.indicator_schema["fields"], ROW_ALIASES, allowed)


# ---- the grid ----------------------------------------------------------------------------------------

@dataclass
class Cell:
    """A cell, or the top-left cell of a merged range standing for the whole range."""

    row: int
    col: int
    value: Any
    number_format: str = "General"
    rows: int = 1
    cols: int = 1

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, str):
            return self.value.strip()
        return plain(self.value, self.number_format)

    @property
    def key(self) -> str:
        return norm(self.text)

    @property
    def last_col(self) -> int:
        return self.col + self.cols - 1


@dataclass
class Grid:
    sheet: str
    anchors: dict[tuple[int, int], Cell]
    owner: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    max_row: int = 0
    max_col: int = 0
    _filled: list[Cell] | None = field(default=None, repr=False)
    _rows: dict[int, list[Cell]] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, ws: Worksheet) -> Grid:
        max_row, max_col = min(ws.max_row, MAX_ROWS), min(ws.max_column, MAX_COLS)
        grid = cls(ws.title, {}, {}, max_row, max_col)
        for rng in ws.merged_cells.ranges:
            top = (rng.min_row, rng.min_col)
            for r in range(rng.min_row, min(rng.max_row, max_row) + 1):
                for c in range(rng.min_col, min(rng.max_col, max_col) + 1):
                    grid.owner[(r, c)] = top
        for row in ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col):
            for cell in row:
                pos = (cell.row, cell.column)
                if grid.owner.get(pos, pos) != pos:
                    continue
                grid.anchors[pos] = Cell(cell.row, cell.column, cell.value, cell.number_format or "General")
        for rng in ws.merged_cells.ranges:
            top = grid.anchors.get((rng.min_row, rng.min_col))
            if top is not None:
                top.rows, top.cols = rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1
        return grid

    def at(self, r: int, c: int) -> Cell | None:
        """The cell shown at (r, c): for a merged range, its top-left cell."""
        return self.anchors.get(self.owner.get((r, c), (r, c)))

    def filled(self) -> list[Cell]:
        """The filled cells in reading order (worked out once: the readers ask for it row after row)."""
        if self._filled is None:
            self._filled = sorted((a for a in self.anchors.values() if a.text), key=lambda a: (a.row, a.col))
            self._rows = {}
            for a in self._filled:
                self._rows.setdefault(a.row, []).append(a)
        return self._filled

    def in_row(self, r: int) -> list[Cell]:
        """The filled cells anchored on row r, left to right."""
        self.filled()
        return self._rows.get(r, [])

    def ref(self, cell: Cell) -> str:
        return f"{self.sheet}!{cell.ref}"


# ---- values --------------------------------------------------------------------------------------------

def decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def plain(value: Any, number_format: str = "General") -> str:
    """A cell as the text an editor sees: Excel's binary doubles back to the digits typed, percentages
    formatted as such shown as 95.5%, dates as YYYY-MM-DD."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        number = Decimal(format(value, ".15g"))
        if "%" in number_format:
            return decimal_text(number * 100) + "%"
        return decimal_text(number)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_DATE = re.compile(r"(20\d{2})\s*[-年./]\s*(\d{1,2})(?:\s*[-月./]\s*(\d{1,2}))?")


def parse_period(text: str) -> tuple[date | None, date | None]:
    """A start and end as written on Chinese forms: 2026-01-01至2026-12-31, 2026年1月-2026年12月,
    2026.1-2026.12. A month without a day starts on its first and ends on its last day."""
    found = []
    for match in _DATE.finditer(unicodedata.normalize("NFKC", text)):
        try:
            found.append((date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)),
                          match.group(3) is not None))
        except ValueError:
            return None, None
    if not found:
        return None, None
    start = found[0][0]
    end, has_day = found[-1] if len(found) > 1 else (None, True)
    if end is not None and not has_day:
        end = _month_end(end)
    return start, end


def parse_date(text: str) -> date | None:
    start, end = parse_period(text)
    return start if end is None else None


def _month_end(d: date) -> date:
    following = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


_TICK_AFTER = re.compile(r"\d+\s*[、.．]\s*([^□■☑√✓✔\d\s]+)\s*([□■☑√✓✔\s]*)")   # 1、常年性项目 □ √
_TICK_BEFORE = re.compile(r"([□■☑])\s*([^□■☑√✓✔\s]+)")                            # ■新增项目 □延续项目


def parse_ticks(text: str) -> tuple[list[str], list[str]] | None:
    """`1、常年性项目 □ √ 2、延续性项目 □ 3、一次性项目 □` or `■新增项目 □延续项目` → (the options, the ticked
    ones), or None when the text is not a row of tick boxes. A box with a tick (√ ■ ☑) is ticked; □ is not."""
    if "□" not in text and "■" not in text and "☑" not in text:
        return None
    after = _TICK_AFTER.findall(text)
    if len(after) >= 2:
        return [n.strip() for n, _ in after], [n.strip() for n, marks in after if any(m in marks for m in "■☑√✓✔")]
    before = _TICK_BEFORE.findall(text)
    if len(before) >= 2:
        return [n for _, n in before], [n for box, n in before if box != "□"]
    return None


# Operators as written on forms, to the schema's symbols.
OPERATOR_WORDS = {
    ">=": "≥", "≥": "≥", "不低于": "≥", "不少于": "≥", "大于等于": "≥", "大于或等于": "≥", "正向": "≥",
    "<=": "≤", "≤": "≤", "不高于": "≤", "不超过": "≤", "不多于": "≤", "小于等于": "≤", "小于或等于": "≤", "反向": "≤",
    ">": ">", "大于": ">", "高于": ">", "<": "<", "小于": "<", "低于": "<",
    "=": "=", "等于": "=", "达到": "=", "定性": "定性",
}
_OPS = "|".join(re.escape(w) for w in sorted(OPERATOR_WORDS, key=len, reverse=True) if w != "定性")
_TARGET = re.compile(rf"^(?P<op>{_OPS})?\s*(?P<num>[-+]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>\S*)$")


@dataclass
class Target:
    operator: str | None
    target: str
    unit: str | None
    text: str | None        # as written, when it says more than target and unit


def parse_target(cell: Cell) -> Target:
    """'≥95%' → (≥, 95, %): the parsed parts for checking, the words on the form kept beside them."""
    raw = cell.text
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        number = Decimal(format(cell.value, ".15g"))
        if "%" in cell.number_format:
            return Target(None, decimal_text(number * 100), "%", None)
        return Target(None, decimal_text(number), None, None)
    match = _TARGET.match(unicodedata.normalize("NFKC", raw).strip())
    if not match:
        return Target(None, raw, None, None)
    op = OPERATOR_WORDS.get(match["op"]) if match["op"] else None
    number = decimal_text(Decimal(match["num"].replace(",", "")))
    unit = match["unit"] or None
    return Target(op, number, unit, raw if raw != number else None)
