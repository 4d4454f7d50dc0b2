"""JSON Schemas (draft 2020-12) of the YAML records, generated from `schemas/`, so that an editor's
editor (VS Code with the Red Hat YAML extension) completes field names and allowed values and marks
mistakes while typing. They accept what `disclose validate` accepts — "1,250.5" for a number, 是/否
for a yes/no, an empty optional field — so the editor never flags a record the site would publish.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.editor.skeleton import describe, requirement
from generator.model.catalog import IDENTITY_FIELDS, Catalog, Kind

DRAFT = "https://json-schema.org/draft/2020-12/schema"
OUT_DIR = Path("schemas") / "json"
# Numbers as editors type them (validate.normalise_number): full-width digits, thousands separators,
# a trailing % or 元/万元.
# A comma only as a thousands separator (a digit before, exactly three after), as normalise_number reads it.
_DIGITS = r"[0-9０-９]+([,，][0-9０-９]{3})*"
NUMBER_TEXT = rf"^\s*[-+]?{_DIGITS}([.．][0-9０-９]+)?\s*(%|％)?\s*$"
AMOUNT_TEXT = rf"^\s*[-+]?{_DIGITS}([.．][0-9０-９]+)?\s*(%|％|元|万元|万)?\s*$"  # amounts may carry 元/万元
INTEGER_TEXT = rf"^\s*{_DIGITS}\s*$"
# An indicator value the rules read as a number (rules.parse_decimal): no 元 suffix there.
TARGET_NUMBER = r"^\s*[-+]?[0-9０-９][0-9０-９,，]*([.．][0-9０-９]+)?\s*(%|％)?\s*$"
LEVEL1_POINTS = r"(\s*[(（]\s*\d+(\.\d+)?(\s*[-－–~～]\s*\d+(\.\d+)?)?\s*分?\s*[)）]\s*分?)?"
DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# Never withheld one by one (rules._withheld): the record's identity and its confidentiality markers.
NOT_WITHHOLDABLE = (*IDENTITY_FIELDS, "confidential", "withheld_fields", "confidential_basis")


_CELL = {"type": ["string", "number", "null"]}
# Fields written as small tables (x-structure), as structures.normalise reads them.
STRUCTURES: dict[str, dict[str, Any]] = {
    "pairs": {"type": "array", "items": {"type": "array", "items": _CELL, "minItems": 2, "maxItems": 2}},
    "funding": {"type": "array", "items": {"type": "object", "additionalProperties": False, "properties": {
        "caption": {"type": ["string", "null"]}, "unit": {"enum": ["元", "万元", None, ""]},
        "note": {"type": ["string", "null"]},
        "columns": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "rows": {"type": "array", "items": {"type": "array", "items": _CELL}}}, "required": ["columns"]}},
}


def _structure(spec: dict[str, Any]) -> dict[str, Any]:
    if spec["x-structure"] == "rows":
        columns = [c for c, _ in spec.get("x-columns") or []]
        row = {"type": "object", "additionalProperties": False, "properties": {c: _CELL for c in columns}}
        return {"type": "array", "items": {"anyOf": [row, {"type": "array", "items": _CELL}]}}
    return STRUCTURES[spec["x-structure"]]


def _variants(spec: dict[str, Any], catalog: Catalog, kind: Kind | None) -> list[dict[str, Any]]:
    c = spec.get("constraints", {})
    name, kind_type = spec["name"], spec["type"]
    if spec.get("x-structure"):
        return [_structure(spec)]
    if name in catalog.list_fields:
        item: dict[str, Any] = {"type": "string"}
        if name == "withheld_fields" and kind is not None:
            item = {"enum": [n for n in kind.field_names if n not in NOT_WITHHOLDABLE]}
        return [{"type": "array", "items": item}, {"type": "string"}]
    if c.get("enum"):
        return [{"enum": list(c["enum"])}]
    if kind_type == "number":
        pattern = AMOUNT_TEXT if spec.get("x-unit-field") else NUMBER_TEXT
        return [{"type": "number", **_bounds(c)}, {"type": "string", "pattern": pattern}]
    if kind_type == "integer":
        return [{"type": "integer", **_bounds(c)}, {"type": "string", "pattern": INTEGER_TEXT}]
    if kind_type == "date":
        return [{"type": "string", "format": "date", "pattern": DATE_TEXT}]
    if kind_type == "boolean":
        return [{"type": "boolean"}, {"enum": list(spec.get("trueValues", [])) + list(spec.get("falseValues", []))}]
    text: dict[str, Any] = {"type": "string"}
    for key in ("pattern", "maxLength", "minLength"):
        if key in c:
            text[key] = c[key]
    # YAML reads an unquoted 2026 or 150000261000000101 as a number; the site keeps it as written.
    return [text, {"type": "integer" if "pattern" in c else "number"}]


def _bounds(c: dict[str, Any]) -> dict[str, Any]:
    return {k: c[k] for k in ("minimum", "maximum") if k in c}


def field_schema(spec: dict[str, Any], need: str, catalog: Catalog, kind: Kind | None,
                 nullable: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"title": spec["title"], "description": describe(spec, need, catalog, kind)}
    variants = _variants(spec, catalog, kind)
    if nullable:
        if len(variants) == 1 and "enum" in variants[0]:
            variants = [{"enum": variants[0]["enum"] + [None]}]
        else:
            variants.append({"type": "null"})
    if len(variants) == 1:
        out.update(variants[0])
    else:
        out["anyOf"] = variants
    if "x-default" in spec:
        out["default"] = spec["x-default"]
    return out


def _is_true(spec: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [{"const": True}, {"enum": list(spec.get("trueValues", []))}]}


def _when(condition: dict[str, list[Any]] | None, fields: list[str]) -> dict[str, Any]:
    then = {"required": fields, "properties": {f: {"not": {"type": "null"}} for f in fields}}
    if not condition:
        return then
    return {"if": {"properties": {k: {"enum": list(v)} for k, v in condition.items()}, "required": list(condition)},
            "then": then}


def indicator_schema(catalog: Catalog, kind: Kind) -> dict[str, Any]:
    titles = {n: s["title"] for n, s in catalog.indicator_by_name.items()}
    props, required = {}, []
    for name in catalog.indicator_fields_for(kind):
        if name == "record_id":
            continue
        spec = catalog.indicator_by_name[name]
        need = requirement(spec, kind.row_required_when, titles.get, key="fields")
        is_required = bool(spec.get("constraints", {}).get("required"))
        props[name] = field_schema(spec, need, catalog, None, nullable=not is_required)
        levels = catalog.indicator_levels.get(name)
        if levels:
            # The level names forms print (form_rules._levels); 一级指标 may carry its points: 产出指标（50分）.
            names = "|".join(re.escape(x) for x in levels)
            points = LEVEL1_POINTS if name == "level1" else ""
            props[name] = {"title": props[name]["title"], "description": props[name]["description"],
                           "anyOf": [{"type": "string", "pattern": f"^\\s*({names}){points}\\s*$"}, {"type": "null"}]}
        if is_required:
            required.append(name)
    rules = [_when(r.get("if"), list(r["fields"])) for r in kind.row_required_when]
    quantitative = [op for op in catalog.indicator_by_name["operator"]["constraints"]["enum"] if op != "定性"]
    rules.append({"if": {"properties": {"operator": {"enum": quantitative}}, "required": ["operator"]},
                  "then": {"properties": {"target": {"anyOf": [{"type": "number"},
                                                               {"type": "string", "pattern": TARGET_NUMBER}]}}}})
    out: dict[str, Any] = {"title": "绩效指标（一行）", "type": "object", "properties": props, "required": required,
                           "additionalProperties": False}
    out["allOf"] = rules
    return out


def kind_schema(catalog: Catalog, kind: Kind) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required: list[str] = []
    for spec in kind.fields:
        need = requirement(spec, kind.required_when, kind.title_of)
        # dept and year may be left out: they are read from the folder the file is in.
        is_required = bool(spec.get("constraints", {}).get("required")) and spec["name"] not in ("dept", "year")
        props[spec["name"]] = field_schema(spec, need, catalog, kind, nullable=not is_required)
        if is_required:
            required.append(spec["name"])
    props["kind"] = {"title": "记录类别", "description": f"可省略；填写时须为 {kind.name}（由所在目录决定）。",
                     "const": kind.name}
    rules = [_when(r.get("if"), [r["field"]]) for r in kind.required_when]
    rules.append({"if": {"properties": {"confidential": _is_true(kind.by_name["confidential"])},
                         "required": ["confidential"]},
                  "then": _when(None, ["confidential_basis"])})
    out: dict[str, Any] = {
        "$schema": DRAFT,
        "title": f"{kind.title}（{kind.form}）",
        "description": f"{kind.title}：一个 YAML 文件一条记录，放在 content/<部门代码>/<年度>/{kind.folder}/ 下。"
                       f"依据：{kind.basis}。由 schemas/ 自动生成，请勿手工修改（运行 disclose schema 重新生成）。",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
        "allOf": rules,
    }
    if kind.has_indicators:
        props["indicators"] = {"title": "绩效指标", "description": "每个三级指标一行。",
                               "anyOf": [{"type": "array", "items": {"$ref": "#/$defs/indicator"}}, {"type": "null"}]}
        out["$defs"] = {"indicator": indicator_schema(catalog, kind)}
    if catalog.attachment_schema.get("fields"):
        props["attachments"] = {"title": "附件",
                                "description": "报告等附件，每个一项（path、title，涉密的加 confidential: true）。",
                                "anyOf": [{"type": "array", "items": {"$ref": "#/$defs/attachment"}}, {"type": "null"}]}
        out.setdefault("$defs", {})["attachment"] = attachment_schema(catalog)
    return out


def attachment_schema(catalog: Catalog) -> dict[str, Any]:
    props, required = {}, []
    for spec in catalog.attachment_schema["fields"]:
        is_required = bool(spec.get("constraints", {}).get("required"))
        props[spec["name"]] = field_schema(spec, "必填" if is_required else "可选", catalog, None,
                                           nullable=not is_required)
        if is_required:
            required.append(spec["name"])
    return {"title": "附件（一项）", "type": "object", "properties": props, "required": required,
            "additionalProperties": False}


def departments_schema(catalog: Catalog) -> dict[str, Any]:
    specs = catalog.department_schema["fields"]
    props = {}
    required = []
    for spec in specs:
        is_required = bool(spec.get("constraints", {}).get("required"))
        props[spec["name"]] = field_schema(spec, "必填" if is_required else "可选", catalog, None,
                                           nullable=not is_required)
        if is_required:
            required.append(spec["name"])
    return {"$schema": DRAFT, "title": "部门登记表（content/departments.yml）",
            "description": "每个部门一项。由 schemas/ 自动生成，请勿手工修改（运行 disclose schema 重新生成）。",
            "type": "array", "items": {"type": "object", "properties": props, "required": required,
                                       "additionalProperties": False}}


def generated(catalog: Catalog) -> dict[str, str]:
    """File name under schemas/json/ → its text, for every kind and the department register."""
    out = {f"{name}.json": _text(kind_schema(catalog, kind)) for name, kind in catalog.kinds.items()}
    out["departments.json"] = _text(departments_schema(catalog))
    return out


def _text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def vscode_schemas(catalog: Catalog, out_dir: Path = OUT_DIR) -> dict[str, list[str]]:
    """`yaml.schemas` for .vscode/settings.json: each kind's schema on the files in its folders."""
    prefix = "./" + out_dir.as_posix()
    mapping = {f"{prefix}/{name}.json": [f"content/*/*/{kind.folder}/*.yml", f"content/*/*/{kind.folder}/*.yaml"]
               for name, kind in catalog.kinds.items()}
    mapping[f"{prefix}/departments.json"] = ["content/departments.yml"]
    return mapping


def vscode_settings(existing: dict[str, Any], catalog: Catalog, out_dir: Path = OUT_DIR) -> dict[str, Any]:
    settings = dict(existing)
    settings["yaml.schemas"] = vscode_schemas(catalog, out_dir)
    settings.setdefault("files.encoding", "utf8")
    settings.setdefault("[yaml]", {"editor.insertSpaces": True, "editor.tabSize": 2, "editor.autoIndent": "keep"})
    return settings
