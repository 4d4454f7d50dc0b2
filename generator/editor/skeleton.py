"""`disclose new`: a record skeleton with every field of its kind, each under a Chinese comment saying
what it is, whether it must be filled and what may be written — all read from `schemas/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.editor.yaml_write import scalar
from generator.model.catalog import Catalog, Kind

TYPE_HINTS = {
    "string": "文字",
    "number": "数字（可带千分位逗号）",
    "integer": "整数",
    "date": "日期，写成 YYYY-MM-DD",
    "boolean": " true（是）或 false（否）",
    "array": "表格（YAML 列表），写法见上",
}


def _condition(titles: Any, condition: dict[str, list[Any]] | None) -> str:
    if not condition:
        return ""
    return "、".join(f"{titles(k)}为“{'或'.join(map(str, v))}”" for k, v in condition.items())


def requirement(spec: dict[str, Any], rules: list[dict[str, Any]], titles: Any, key: str = "field") -> str:
    """必填, 可选, or the condition under which it is required (kinds.yml required_when)."""
    if spec.get("constraints", {}).get("required"):
        return "必填"
    for rule in rules:
        names = rule.get("fields") or [rule.get(key)]
        if spec["name"] in names:
            when = _condition(titles, rule.get("if"))
            return f"{when}时必填" if when else "必填"
    return "可选"


def describe(spec: dict[str, Any], need: str, catalog: Catalog, kind: Kind | None = None) -> str:
    """One line telling an editor everything the schemas say about a field."""
    c = spec.get("constraints", {})
    description = spec.get("description", "")
    parts = [f"{spec['title']}（{need}）："]
    if description:
        parts.append(description.rstrip("。") + "。")
    if c.get("enum"):
        parts.append("可选值：" + "、".join(map(str, c["enum"])) + "。")
    else:
        hint = "列表，每项一行，以“- ”开头" if spec["name"] in catalog.list_fields else TYPE_HINTS[spec["type"]]
        if spec.get("x-unit-field") and kind is not None:
            hint += f"，单位见{kind.title_of(spec['x-unit-field'])}（{spec['x-unit-field']}）"
        parts.append(f"填写{hint}。")
    if "minimum" in c and "maximum" in c:
        parts.append(f"取值 {c['minimum']}–{c['maximum']}。")
    elif "minimum" in c:
        parts.append(f"不小于 {c['minimum']}。")
    if c.get("maxLength"):
        parts.append(f"不超过 {c['maxLength']} 个字符。")
    if kind is not None and not any(sign in description for sign in "=÷≥"):
        parts.extend(_arithmetic(spec["name"], kind, catalog))
    return "".join(parts)


def _arithmetic(name: str, kind: Kind, catalog: Catalog) -> list[str]:
    out = []
    for rule in kind.sums:
        if rule["total"] == name:
            out.append("须等于" + " + ".join(kind.title_of(p) for p in rule["parts"]) + "。")
    for rule in kind.ratios:
        if rule["ratio"] == name:
            out.append(f"= {kind.title_of(rule['numerator'])} ÷ {kind.title_of(rule['denominator'])} × 100，"
                       "保留一位小数。")
    if name == kind.grade_field:
        bands = "，".join(f"{b['grade']} ≥ {b['min']}" for b in catalog.grades)
        out.append(f"按{kind.title_of(kind.score_field)}确定：{bands}。")
    return out


def _value(spec: dict[str, Any], catalog: Catalog, prefilled: dict[str, Any]) -> Any:
    if spec["name"] in prefilled:
        return prefilled[spec["name"]]
    if spec["name"] in catalog.list_fields:
        return []
    if "x-default" in spec:
        return spec["x-default"]
    return None


def _line(indent: str, name: str, value: Any) -> str:
    text = scalar(value)
    return f"{indent}{name}: {text}" if text else f"{indent}{name}:"


def skeleton(catalog: Catalog, kind: Kind, dept: str, year: int, record_id: str, rel: str) -> str:
    prefilled = {"id": record_id, "dept": dept, "year": year}
    lines = [
        f"# {kind.title}：一个文件一条记录（{rel}）。",
        f"# 依据：{kind.basis}；对应表格：{kind.form}。",
        "# 每个字段上方的注释说明它的含义、是否必填和可以填写的值；用不到的可选字段留空即可，也可以删除。",
        "# 涉密或不宜公开的内容，请按《编辑指南》用 confidential、withheld_fields 标注，不要直接删掉不填。",
        f"# 填好后运行：disclose validate {rel}",
        "",
    ]
    for spec in kind.fields:
        need = requirement(spec, kind.required_when, kind.title_of)
        lines.append(f"# {describe(spec, need, catalog, kind)}")
        lines.append(_line("", spec["name"], _value(spec, catalog, prefilled)))
        lines += _structure_example(spec, kind, catalog)
    if kind.has_indicators:
        lines += ["", "# 绩效指标：每个三级指标一行，以“- ”开头；下面是一行示例，按表上的指标逐行复制填写。",
                  "# 某一行涉密时，在该行写 confidential: true，该行不会公开。", "indicators:"]
        titles = {n: s["title"] for n, s in catalog.indicator_by_name.items()}
        first = True
        for name in catalog.indicator_fields_for(kind):
            if name == "record_id":
                continue
            spec = catalog.indicator_by_name[name]
            need = requirement(spec, kind.row_required_when, titles.get, key="fields")
            example = _row_example(spec, catalog)
            lines.append(f"  # {describe(spec, need, catalog)}")
            lines.append(_line("  - " if first else "    ", name, example))
            first = False
    return "\n".join(lines) + "\n"


def _row_example(spec: dict[str, Any], catalog: Catalog) -> Any:
    """A typical choice for the columns every row has (一级、二级指标 and 指标性质); the rest left to fill."""
    levels = catalog.indicator_levels.get(spec["name"])
    if levels:
        return levels[0]
    enum = spec.get("constraints", {}).get("enum")
    if enum and spec.get("constraints", {}).get("required"):
        return enum[0]
    return spec.get("x-default")


def next_id(root: Path, dept: str, year: int, kind: Kind) -> str:
    """The first free `<dept>-<year>-<kind>-NNN`: ids are unique across the whole site."""
    stem = f"{dept}-{year}-{kind.name.replace('_', '-')}"
    n = 1
    while any((root / "content").glob(f"*/*/*/{stem}-{n:03d}.*")):
        n += 1
    return f"{stem}-{n:03d}"


def _structure_example(spec: dict[str, Any], kind: Kind, catalog: Catalog) -> list[str]:
    """A commented example of a field written as a small table, in the kind's default wording."""
    shape = spec.get("x-structure")
    if shape == "funding":
        from generator.model.funding import default_columns

        columns = default_columns(kind.name, catalog.funding)
        blanks = ", ".join("''" for _ in columns[1:])
        sources = ["年度资金总额", *[f"其中：{s}" if i == 0 else s
                                    for i, s in enumerate(list(catalog.funding.get("sources") or {})[:3])]]
        return ["#   - caption: 项目资金", "#     unit: 万元", f"#     columns: [{', '.join(columns)}]", "#     rows:",
                *[f"#       - [{s}, {blanks}]" for s in sources]]
    if shape == "pairs":
        return ["#   - [栏目名, 内容]"]
    if shape == "rows":
        return ["#   - {" + ", ".join(f"{c}: ''" for c, _ in spec.get("x-columns") or []) + "}"]
    return []
