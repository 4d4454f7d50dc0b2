"""Static SVG charts for the home and department pages, drawn at build time.

Two pictures people would rather look at than read: budget execution rates (from the public
records' `execution_rate`) and the distribution of evaluation grades (优/良/中/差). Each chart is
inline SVG with <title>/<desc> and a data table beside it, so it reads without JavaScript and with
a screen reader. Charts are made from PublicRecords only: a withheld value is simply not there.

Sizes are bounded whatever the number of records: the home page draws one bar per department,
a department page at most MAX_BARS projects (the table says how many more there are).
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from decimal import Decimal
from html import escape
from typing import Any

from generator.model.records import PublicRecord
from generator.model.site import SiteModel, record_path

RATE_FIELD = "execution_rate"
MAX_BARS = 30
# Bars fill at most this share of the width; the rest holds the value printed after the bar.
BAR_SHARE = 80
ROW_EM = Decimal("2.8")
LABEL_CHARS = 18
_YEAR_PREFIX = re.compile(r"^\d{4}年度?")


class _Ids:
    """Element ids unique within one page (several charts share a page)."""

    def __init__(self, prefix: str):
        self.prefix, self.n = prefix, 0

    def next(self) -> str:
        self.n += 1
        return f"{self.prefix}{self.n}"


def home_charts(m: SiteModel, root: str) -> str:
    """`root` is the relative path from the page to the site root, as the templates use it."""
    ids = _Ids("dc-chart-")
    figures = [_dept_rates(m, kind, ids, root) for kind in _rate_kinds(m)]
    figures.append(_grades(m, m.records, ids, scope="各部门"))
    return _section([f for f in figures if f])


def dept_charts(m: SiteModel, code: str, root: str) -> str:
    ids = _Ids("dc-chart-")
    records = m.by_dept.get(code, [])
    figures = [_record_rates(m, kind, records, ids, root) for kind in _rate_kinds(m)]
    figures.append(_grades(m, records, ids, scope=m.dept_short(code)))
    return _section([f for f in figures if f])


def _section(figures: list[str]) -> str:
    if not figures:
        return ""
    return '<div class="dc-charts" markdown="0">\n' + "\n".join(figures) + "\n</div>"


def _rate_kinds(m: SiteModel) -> list[Any]:
    return [k for k in m.catalog.kinds.values() if RATE_FIELD in k.by_name]


def _rate(r: PublicRecord) -> Decimal | None:
    value = r.fields.get(RATE_FIELD)
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value))


def _rated(records: list[PublicRecord], kind_name: str) -> tuple[int | None, list[tuple[PublicRecord, Decimal]]]:
    """The latest year with a public execution rate for this kind, and that year's (record, rate) pairs."""
    pairs = [(r, rate) for r in records if r.kind == kind_name and (rate := _rate(r)) is not None]
    year = max((r.year for r, _ in pairs), default=None)
    return year, [(r, rate) for r, rate in pairs if r.year == year]


MONTHS_FIELD = "months"  # monitoring: the rate is 1–N月 spending against the whole year's budget
REFERENCE_LABEL = "100%：全年预算全部执行"
TOP_EM = Decimal("1.4")  # room above the bars for the reference line's label


def _period(kind: Any, records: list[PublicRecord]) -> tuple[str, str]:
    """(period for the title, sentence for the description): a monitoring rate covers 1–N月 only, so a
    half-spent budget in July is not half a failure; other rates are for the whole year."""
    if MONTHS_FIELD not in kind.by_name:
        return "全年", "执行率为全年执行数占全年预算数的比例。"
    months = Counter(r.fields.get(MONTHS_FIELD) for r in records if r.fields.get(MONTHS_FIELD))
    if not months:
        return "", ""
    n = months.most_common(1)[0][0]
    return (f"1–{n}月", f"执行率为 1–{n} 月执行数占全年预算数的比例（监控期截至 {n} 月底，全年尚未结束）。")


def _pct(value: Decimal) -> str:
    return f"{value:.1f}%"


def _cap_note(n: int, what: str) -> str:
    return f"图中列出执行率最高的 {MAX_BARS} 个{what}，全部{what}见数据表。" if n > MAX_BARS else ""


def _dept_rates(m: SiteModel, kind: Any, ids: _Ids, root: str) -> str:
    year, pairs = _rated(m.by_kind.get(kind.name, []), kind.name)
    if year is None:
        return ""
    by_dept: dict[str, list[Decimal]] = defaultdict(list)
    for r, rate in pairs:
        by_dept[r.dept].append(rate)
    means = {d: sum(v) / len(v) for d, v in by_dept.items()}
    order = sorted(means, key=lambda d: (-means[d], d))
    top, low = order[0], order[-1]
    period, explain = _period(kind, [r for r, _ in pairs])
    title = f"{year}年{kind.title}{f'（{period}）' if period else ''}：各部门平均预算执行率"
    desc = (f"{len(order)} 个部门共 {len(pairs)} 个项目；平均执行率最高的是{m.dept_short(top)}"
            f"（{_pct(means[top])}），最低的是{m.dept_short(low)}（{_pct(means[low])}）。{explain}"
            f"虚线表示 100%。" + _cap_note(len(order), "部门"))
    bars = [(m.dept_short(d), means[d], _pct(means[d])) for d in order[:MAX_BARS]]
    head = ["部门", "项目数", "平均执行率", "最低", "最高"]
    rows = [[f'<a href="{root}depts/{escape(d)}/">{escape(m.dept_name(d))}</a>', str(len(by_dept[d])),
             _pct(means[d]), _pct(min(by_dept[d])), _pct(max(by_dept[d]))] for d in order]
    return _figure(ids.next(), title, desc, bars, _rate_scale(bars), head, rows, reference=Decimal(100))


def _record_rates(m: SiteModel, kind: Any, records: list[PublicRecord], ids: _Ids, root: str) -> str:
    year, pairs = _rated(records, kind.name)
    if year is None:
        return ""
    pairs.sort(key=lambda p: (-p[1], p[0].id))
    rates = [rate for _, rate in pairs]
    period, explain = _period(kind, [r for r, _ in pairs])
    title = f"{year}年{kind.title}{f'（{period}）' if period else ''}：各项目预算执行率"
    desc = (f"共 {len(pairs)} 个项目，执行率从 {_pct(min(rates))} 到 {_pct(max(rates))}，"
            f"平均 {_pct(sum(rates) / len(rates))}。{explain}虚线表示 100%。" + _cap_note(len(pairs), "项目"))
    labels = _labels([r.fields["title"] for r, _ in pairs[:MAX_BARS]])
    bars = [(label, rate, _pct(rate)) for label, (_, rate) in zip(labels, pairs[:MAX_BARS], strict=True)]
    head = ["项目", kind.title_of(RATE_FIELD)]
    rows = [[f'<a href="{root}{record_path(r)}">{escape(r.fields["title"])}</a>', _pct(rate)] for r, rate in pairs]
    return _figure(ids.next(), title, desc, bars, _rate_scale(bars), head, rows, reference=Decimal(100))


def _grades(m: SiteModel, records: list[PublicRecord], ids: _Ids, scope: str) -> str:
    kinds = [k for k in m.catalog.kinds.values() if k.grade_field]
    graded = [(r, k) for k in kinds for r in records if r.kind == k.name and r.fields.get(k.grade_field)]
    year = max((r.year for r, _ in graded), default=None)
    if year is None:
        return ""
    grades = [g["grade"] for g in m.catalog.grades]
    per_kind = {k.name: Counter(r.fields[k.grade_field] for r, kk in graded if kk is k and r.year == year)
                for k in kinds}
    used = [k for k in kinds if per_kind[k.name]]
    total = Counter[str]()
    for c in per_kind.values():
        total.update(c)
    n = sum(total.values())
    title = f"{year}年绩效评价等级分布（{scope}）"
    desc = f"共 {n} 项评价：" + "，".join(f"{g} {total[g]} 项" for g in grades) + "。"
    bars = [(g, Decimal(total[g]), f"{total[g]} 项") for g in grades]
    head = ["评价等级"] + [k.title for k in used] + ["合计"]
    rows = [[escape(g)] + [str(per_kind[k.name][g]) for k in used] + [str(total[g])] for g in grades]
    scale = Decimal(max(max(total.values()), 1))
    return _figure(ids.next(), title, desc, bars, scale, head, rows, row_headers=True)


def _rate_scale(bars: list[tuple[str, Decimal, str]]) -> Decimal:
    # 100% is always on the scale, so a half-spent budget looks half full; overspending stretches it.
    return max([Decimal(100)] + [v for _, v, _ in bars])


def _labels(titles: list[str]) -> list[str]:
    """Bar labels from record titles: without the year (the chart title has it) and without the
    ending all of them share (绩效目标监控情况（1–7月）, 绩效自评结果), cut to fit a phone."""
    texts = [_YEAR_PREFIX.sub("", t) for t in titles]
    if len(texts) > 1:
        common = len(os.path.commonprefix([t[::-1] for t in texts]))
        if common >= 2 and all(len(t) > common for t in texts):
            texts = [t[:-common] for t in texts]
    return [t if len(t) <= LABEL_CHARS else t[:LABEL_CHARS - 1] + "…" for t in texts]


def _coord(value: Decimal) -> str:
    """A coordinate with four decimals. Amounts have two and rates one, so a coordinate never reads
    like a number the leak guard looks for (a bar 50.00% wide is not a withheld 50.00)."""
    return f"{value:.4f}"


def _svg(cid: str, title: str, desc: str, bars: list[tuple[str, Decimal, str]], scale: Decimal,
         reference: Decimal | None) -> str:
    """Horizontal bars, a label above each. Widths are percentages and heights are em, so the chart
    fits any screen width and grows with the text in reading mode (长者模式)."""
    top = TOP_EM if reference is not None else Decimal(0)
    height = ROW_EM * len(bars) + Decimal("0.4") + top
    out = [f'<svg class="dc-chart__svg" role="img" aria-labelledby="{cid}-t {cid}-d" width="100%" '
           f'style="height:{height}em" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="{cid}-t">{escape(title)}</title>', f'<desc id="{cid}-d">{escape(desc)}</desc>']
    for i, (label, value, text) in enumerate(bars):
        y = ROW_EM * i + top
        label_y, bar_y, value_y = y + Decimal("1.1"), y + Decimal("1.45"), y + Decimal("2.3")
        width = _coord((value / scale * BAR_SHARE) if scale else Decimal(0))
        out.append(f'<text class="dc-chart__label" x="0" y="{label_y}em">{escape(label)}</text>'
                   f'<rect class="dc-chart__track" x="0" y="{bar_y}em" width="{BAR_SHARE}%" height="1em"/>'
                   f'<rect class="dc-chart__bar" x="0" y="{bar_y}em" width="{width}%" height="1em" fill="#b71c1c"/>'
                   f'<text class="dc-chart__value" x="{width}%" dx="0.4em" y="{value_y}em">{escape(text)}</text>')
    if reference is not None and scale:
        x = _coord(reference / scale * BAR_SHARE)
        out.append(f'<line class="dc-chart__ref" x1="{x}%" x2="{x}%" y1="{top - Decimal("0.3")}em" y2="{height}em"/>'
                   f'<text class="dc-chart__reflabel" x="{x}%" y="1em" text-anchor="end" dx="-0.3em">'
                   f"{escape(REFERENCE_LABEL)}</text>")
    out.append("</svg>")
    return "".join(out)


def _figure(cid: str, title: str, desc: str, bars: list[tuple[str, Decimal, str]], scale: Decimal,
            head: list[str], rows: list[list[str]], reference: Decimal | None = None,
            row_headers: bool = False) -> str:
    """One chart: the SVG, a caption, and its data as a table (the text alternative).

    `rows` cells are HTML, escaped already.
    """
    ths = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = []
    for row in rows:
        first = f'<th scope="row">{row[0]}</th>' if row_headers else f"<td>{row[0]}</td>"
        body.append("<tr>" + first + "".join(f'<td class="dc-num">{c}</td>' for c in row[1:]) + "</tr>")
    table = (f'<details class="dc-chart__data"><summary>查看图表数据（表格）</summary>'
             f'<div class="dc-scroll"><table class="dc-list"><caption>{escape(title)}：数据</caption>'
             f"<thead><tr>{ths}</tr></thead><tbody>{''.join(body)}</tbody></table></div></details>")
    return (f'<figure class="dc-chart" id="{cid}" aria-labelledby="{cid}-c">'
            f'<figcaption id="{cid}-c"><strong>{escape(title)}</strong><br>{escape(desc)}</figcaption>'
            f"{_svg(cid, title, desc, bars, scale, reference)}{table}</figure>")
