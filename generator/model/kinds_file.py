"""`schemas/kinds.yml` checked whole, like `site_config.yml`: every mistake a located problem.

A kind is defined by one entry here plus one Table Schema; nothing in the code names a kind's
fields. So a typo here (a section that is no field, a missing `basis`) would otherwise surface far
away, as a wrong page or an internal error: it is reported with file, line and key instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.problems import BuildError, Problems
from generator.problems.hints import did_you_mean
from generator.source import yaml_read

KINDS_FILE = "kinds.yml"
DEADLINES = ("approved", "completed", "none")
# Folders the site itself uses at its top level: a kind's folder must not take one of them.
RESERVED_FOLDERS = ("records", "depts", "search", "log", "data", "assets", "about", "guide", "conformance",
                    "compliance", "index")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}\Z")
_FOLDER = re.compile(r"[a-z0-9][a-z0-9-]{0,39}\Z")
# The Table Schema types the pages, downloads and casting know how to show and read.
FIELD_TYPES = ("string", "number", "integer", "boolean", "date", "array")
# An `array` field is a small table written in YAML; structures.py reads these shapes.
STRUCTURES = ("funding", "pairs", "rows")
_TYPE_NAMES = {str: "文字", bool: "true 或 false", list: "列表", dict: "映射", int: "数字"}


@dataclass(frozen=True)
class _Key:
    title: str
    type: type
    required: bool = False


KIND_KEYS = {
    "title": _Key("类别名称", str, True),
    "folder": _Key("目录名（content/<部门>/<年度>/ 下，也是网址的一部分）", str, True),
    "basis": _Key("公开依据", str, True),
    "form": _Key("对应的表格或报告", str, True),
    "schema": _Key("本类字段的表结构文件（Table Schema）", str, True),
    "indicators": _Key("是否有绩效指标行", bool),
    "indicator_fields": _Key("本类指标行可填写的可选栏目", list),
    "deadline": _Key("公开时限的起算（approved、completed 或 none）", str),
    "sums": _Key("求和关系", list),
    "ratios": _Key("比率关系", list),
    "equations": _Key("等式（sum 或 product 与 equals，见 generator/model/equations.py）", list),
    "sections": _Key("按表格顺序展示的文字栏目", list),
    "required_when": _Key("条件必填的字段", list),
    "row_required_when": _Key("条件必填的指标栏目", list),
    "grade_field": _Key("等级字段", str),
    "score_field": _Key("得分字段", str),
    "search_terms": _Key("检索用的其他名称（如“绩效自评”“监控报告”），编入本类每页的检索词", list),
    "indicators_required": _Key("没有绩效指标行时报错", bool),
    "captions": _Key("表名随某字段取值而定（field、values）", dict),
    "period": _Key("监控期间的起止月份字段（from、to）", dict),
    "funding_total": _Key("资金表合计行与金额字段的对应（字段: 栏目）", dict),
}
TOP_KEYS = {
    "kinds": _Key("记录类别", dict, True),
    "attachments": _Key("附件表结构文件", str),
    "list_fields": _Key("以列表填写的字段", list),
    "grades": _Key("评价等级分档", list, True),
    "indicator_levels": _Key("一级、二级指标的名称（含各地表上的写法）", dict),
    "funding": _Key("资金表的栏目名、合计行和资金来源的写法", dict),
    "public_names": _Key("公开记录中表示公共机构名称或单位的字段（泄密检查视同部门名称）", list),
}
# The members of each rule: name → (what it holds, whether required).
RULE_KEYS = {
    "sums": {"total": ("field", True), "parts": ("fields", True)},
    "ratios": {"ratio": ("field", True), "numerator": ("field", True), "denominator": ("field", True)},
    "required_when": {"field": ("field", True), "if": ("condition", False)},
    "row_required_when": {"fields": ("fields", True), "if": ("condition", False)},
}


class _Where:
    """Line numbers of kinds.yml by key path, from the YAML nodes."""

    def __init__(self, node: yaml.Node | None):
        self.lines: dict[tuple, int] = {}
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, (value, line) in yaml_read.mapping(node).items():
                self.lines[path + (key,)] = line
                self._walk(value, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, path + (i,))

    def line(self, path: tuple) -> int | None:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)


class KindsFile:
    """Reads kinds.yml and the Table Schemas it names, collecting problems; `check` raises them all."""

    def __init__(self, directory: Path, display: str):
        self.directory, self.display = directory, display
        self.file = f"{display}/{KINDS_FILE}"
        self.problems = Problems()
        self.where = _Where(None)

    def add(self, code: str, path: tuple, **params: Any) -> None:
        self.problems.add(code, self.file, self.where.line(path), key=_dotted(path), **params)

    def read(self) -> dict[str, Any]:
        path = self.directory / KINDS_FILE
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.add("file_unreadable", self.file, detail=exc)
            raise BuildError(self.problems) from None
        try:
            self.where = _Where(yaml_read.compose(text))
            data = yaml.safe_load(text)
        except yaml_read.ERRORS as exc:
            yaml_read.yaml_problem(exc, self.file, self.problems)
            raise BuildError(self.problems) from None
        spec = self._mapping(data, (), TOP_KEYS)
        kinds = spec.get("kinds")
        if isinstance(kinds, dict) and not kinds:
            self.add("kinds_type", ("kinds",), expected="至少一个类别的映射", value="（空）")
        return spec

    def schema(self, name: Any, path: tuple) -> dict[str, Any] | None:
        """A Table Schema named in kinds.yml (or a fixed one), None when unusable."""
        def report(detail: str) -> None:
            if path:
                self.add("kinds_schema", path, value=name, detail=detail)
            else:  # a fixed schema: the problem is in that file, not in kinds.yml
                self.problems.add("kinds_schema", f"{self.display}/{name}", key=name, value=name, detail=detail)

        if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
            report("应为 schemas/ 目录中的文件名")
            return None
        try:
            data = json.loads((self.directory / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            report("文件不存在")
            return None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            report(f"不是有效的 JSON（{exc}）")
            return None
        fields = data.get("fields") if isinstance(data, dict) else None
        if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str)
                                                   for f in fields):
            report("应有 fields 列表，每项有 name")
            return None
        seen: set[str] = set()
        for spec in fields:
            field_name = spec["name"]
            if field_name in seen:
                report(f"字段“{field_name}”出现了两次")
            elif not isinstance(spec.get("title"), str) or not spec["title"].strip():
                report(f"字段“{field_name}”缺少中文标题（title）")
            elif spec.get("type", "string") not in FIELD_TYPES:
                report(f"字段“{field_name}”的类型“{spec.get('type')}”不可用，可用：{'、'.join(FIELD_TYPES)}")
            elif (spec.get("type") == "array") != (spec.get("x-structure") in STRUCTURES):
                report(f"字段“{field_name}”：array 类型须写明 x-structure（{'、'.join(STRUCTURES)}），反之亦然")
            elif not isinstance(spec.get("constraints", {}), dict):
                report(f"字段“{field_name}”的 constraints 应为映射")
            else:
                seen.add(field_name)
                continue
            return None
        return data

    def kind(self, name: str, entry: Any, common: list[dict[str, Any]], indicator_names: list[str]
             ) -> dict[str, Any] | None:
        """One kind's entry, checked; the entry with its fields (`_fields`) or None when unusable."""
        path = ("kinds", name)
        if not _NAME.match(str(name)):
            self.add("kinds_pattern", path, value=name, expected="小写英文字母开头，只含小写字母、数字和下划线")
        entry = self._mapping(entry, path, KIND_KEYS)
        deadline = entry.get("deadline", "none")
        if deadline not in DEADLINES:
            self.add("kinds_choice", path + ("deadline",), value=deadline, allowed=list(DEADLINES))
        folder = entry.get("folder")
        if isinstance(folder, str) and not _FOLDER.match(folder):
            self.add("kinds_pattern", path + ("folder",), value=folder,
                     expected="小写英文字母或数字开头，只含小写字母、数字和连字符（-）")
        schema = self.schema(entry["schema"], path + ("schema",)) if "schema" in entry else None
        if schema is None:
            return None
        own = schema["fields"]
        names = [f["name"] for f in common]
        for spec in own:
            if spec["name"] in names:
                self.add("kinds_field_twice", path + ("schema",), value=spec["name"], schema=entry["schema"])
            names.append(spec["name"])
        self._references(entry, path, names, indicator_names)
        return {**entry, "_fields": common + own}

    def _references(self, entry: dict[str, Any], path: tuple, names: list[str], indicator_names: list[str]) -> None:
        for key in ("sections",):
            for i, value in enumerate(entry.get(key) or []):
                self._field(value, path + (key, i), names)
        for key in ("grade_field", "score_field"):
            if key in entry:
                self._field(entry[key], path + (key,), names)
        if "captions" in entry:
            self._field(entry["captions"].get("field"), path + ("captions", "field"), names)
        for key in ("from", "to"):
            if "period" in entry:
                self._field(entry["period"].get(key), path + ("period", key), names)
        for name in entry.get("funding_total") or {}:
            self._field(name, path + ("funding_total", name), names)
        for i, value in enumerate(entry.get("indicator_fields") or []):
            self._field(value, path + ("indicator_fields", i), indicator_names)
        for key, members in RULE_KEYS.items():
            known = indicator_names if key == "row_required_when" else names
            for i, rule in enumerate(entry.get(key) or []):
                self._rule(rule, path + (key, i), members, known)

    def _rule(self, rule: Any, path: tuple, members: dict[str, tuple[str, bool]], known: list[str]) -> None:
        if not isinstance(rule, dict):
            self.add("kinds_type", path, expected="映射（" + "、".join(members) + "）", value=rule)
            return
        for key in rule:
            if key not in members:
                self.add("kinds_unknown_key", path + (key,), hint=did_you_mean(key, members), allowed=list(members))
        for key, (shape, required) in members.items():
            value = rule.get(key)
            if value is None:
                if required:
                    self.add("kinds_missing", path + (key,), title=key)
                continue
            if shape == "field":
                self._field(value, path + (key,), known)
            elif shape == "fields":
                if not isinstance(value, list) or not value:
                    self.add("kinds_type", path + (key,), expected="字段名的列表", value=value)
                    continue
                for i, item in enumerate(value):
                    self._field(item, path + (key, i), known)
            elif not isinstance(value, dict):
                self.add("kinds_type", path + (key,), expected="“字段: [取值, …]”的映射", value=value)
            else:
                for name, allowed in value.items():
                    self._field(name, path + (key, name), known)
                    if not isinstance(allowed, list):
                        self.add("kinds_type", path + (key, name), expected="取值的列表", value=allowed)

    def _field(self, value: Any, path: tuple, known: list[str]) -> None:
        if value not in known:
            self.add("kinds_unknown_field", path, value=value, hint=did_you_mean(value, known), allowed=known)

    def _mapping(self, data: Any, path: tuple, keys: dict[str, _Key]) -> dict[str, Any]:
        """Unknown keys, missing required ones and wrong types; returns the well-typed keys only."""
        if not isinstance(data, dict):
            self.add("kinds_type", path, expected="“键: 值”的映射", value=data)
            return {}
        out: dict[str, Any] = {}
        for key in data:
            if key not in keys:
                self.add("kinds_unknown_key", path + (key,), hint=did_you_mean(key, keys), allowed=list(keys))
        for key, spec in keys.items():
            value = data.get(key)
            if value is None or value == "":
                if spec.required:
                    self.add("kinds_missing", path + (key,), title=spec.title)
                continue
            if not isinstance(value, spec.type) or (spec.type is not bool and isinstance(value, bool)):
                self.add("kinds_type", path + (key,), expected=_TYPE_NAMES.get(spec.type, str(spec.type)),
                         value=value)
                continue
            out[key] = value
        return out

    def grades(self, grades: list[Any]) -> list[dict[str, Any]]:
        out = []
        for i, band in enumerate(grades):
            ok = (isinstance(band, dict) and set(band) == {"grade", "min"} and isinstance(band["grade"], str)
                  and isinstance(band["min"], (int, float)) and not isinstance(band["min"], bool))
            if not ok:
                self.add("kinds_type", ("grades", i), expected="{grade: 等级, min: 最低分}", value=band)
            elif out and band["min"] >= out[-1]["min"]:
                self.add("kinds_grades_order", ("grades", i), value=band["min"], previous=out[-1]["min"])
            else:
                out.append(band)
        if not grades:
            self.add("kinds_type", ("grades",), expected="至少一档的列表", value="（空）")
        return out

    def unique(self, kinds: dict[str, dict[str, Any]], key: str) -> None:
        seen: dict[Any, str] = {}
        for name, entry in kinds.items():
            value = entry.get(key)
            if value is None:
                continue
            if key == "folder" and value in RESERVED_FOLDERS:
                self.add("kinds_folder_taken", ("kinds", name, key), value=value)
            elif value in seen:
                self.add("kinds_duplicate", ("kinds", name, key), value=value, other=seen[value])
            else:
                seen[value] = name


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "（根）"
