"""JSON Schemas for editors' editors: generated from schemas/, committed under schemas/json/ with the
VS Code mapping, accepting every example record and rejecting what `disclose validate` rejects."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from fixtures_site import GOAL, GOAL_PATH, MONITORING, MONITORING_PATH, make_site
from jsonschema import Draft202012Validator
from xlsx_samples import evaluation_sheet, goal_sheet, monitoring_sheet, workbook

from generator.build import read_site
from generator.cli import main
from generator.editor.jsonschema import generated, vscode_schemas
from generator.model.catalog import load_catalog

PROJECT = Path(__file__).resolve().parents[1]
CATALOG = load_catalog(PROJECT)
SCHEMAS = {name: json.loads(text) for name, text in generated(CATALOG).items()}


def plain(value: Any) -> Any:
    """What an editor's YAML tooling sees: YAML 1.1 dates as the text they were written as."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def schema_errors(data: Any, folder: str) -> list[str]:
    name = "departments.json" if folder == "departments" else f"{CATALOG.by_folder[folder].name}.json"
    return [e.message for e in Draft202012Validator(SCHEMAS[name]).iter_errors(plain(data))]


def record_files(content: Path) -> list[Path]:
    return sorted(p for p in content.rglob("*") if p.suffix in (".yml", ".yaml") and p.name != "departments.yml")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_generated_schemas_are_valid_draft_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(SCHEMAS[name])
    assert SCHEMAS[name]["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_committed_schemas_and_vscode_mapping_are_current() -> None:
    committed = {p.name: p.read_text(encoding="utf-8") for p in (PROJECT / "schemas" / "json").glob("*.json")}
    assert committed == generated(CATALOG), "运行 disclose schema 重新生成 schemas/json/ 后提交"
    settings = json.loads((PROJECT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == vscode_schemas(CATALOG)
    for schema, globs in settings["yaml.schemas"].items():
        assert (PROJECT / schema).is_file()
        assert all(g.startswith("content/") for g in globs)


def test_schema_command_writes_and_checks(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "schemas/json/goal.json").read_text(encoding="utf-8") == generated(CATALOG)["goal.json"]
    settings = tmp_path / ".vscode/settings.json"
    kept = json.loads(settings.read_text(encoding="utf-8")) | {"editor.fontSize": 15}
    settings.write_text(json.dumps(kept), encoding="utf-8")
    assert runner.invoke(main, ["schema", "--root", str(tmp_path), "--check"]).exit_code == 0
    (tmp_path / "schemas/json/notice.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(main, ["schema", "--root", str(tmp_path), "--check"])
    assert result.exit_code == 1
    assert "schemas/json/notice.json: 错误：本文件与 schemas/ 中的定义不一致（已过期或被手工改动）。请运行 disclose schema" in result.output
    assert runner.invoke(main, ["schema", "--root", str(tmp_path)]).exit_code == 0
    assert json.loads(settings.read_text(encoding="utf-8"))["editor.fontSize"] == 15  # the editor's own settings stay


def test_every_example_record_is_accepted() -> None:
    files = record_files(PROJECT / "content")
    assert files, "the project ships example records"
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert schema_errors(data, path.parent.name) == [], path
    departments = yaml.safe_load((PROJECT / "content" / "departments.yml").read_text(encoding="utf-8"))
    assert schema_errors(departments, "departments") == []


def test_imported_records_are_accepted(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    book = workbook(tmp_path / "forms.xlsx", goal_sheet, monitoring_sheet, evaluation_sheet)
    assert CliRunner().invoke(main, ["import", str(book), "--out", str(site)]).exit_code == 0
    files = record_files(site / "content")
    assert len(files) == 5
    for path in files:
        assert schema_errors(yaml.safe_load(path.read_text(encoding="utf-8")), path.parent.name) == [], path


def _goal() -> dict[str, Any]:
    return yaml.safe_load(GOAL)


def _monitoring() -> dict[str, Any]:
    return yaml.safe_load(MONITORING)


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target = out
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    for key in keys[:-1]:
        target = target[key]
    if value is DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return out


DELETE = object()
WRONG = [
    ("goal", "surprise", "x"),                       # unknown field
    ("goal", "variant", "项目"),                      # not an allowed value
    ("goal", "id", "jyt 2026/目标"),                  # not usable in a web address
    ("goal", "title", DELETE),                       # required
    ("goal", "title", None),                         # required, left empty
    ("goal", "funds_total", "很多"),                  # not a number
    ("goal", "funds_total", "12,34"),                # a comma that is not a thousands separator
    ("goal", "funds_total", "1,2860.5"),
    ("monitoring", "execution_rate", "50万元"),       # only amounts may carry 元/万元
    ("goal", "indicators", "产出指标"),               # rows are a list
    ("goal", "period_start", "2026年1月1日"),          # dates are YYYY-MM-DD
    ("goal", "confidential", True),                  # withheld in full without saying why
    ("goal", "withheld_fields", ["title"]),          # identity fields cannot be withheld one by one
    ("goal", "withheld_fields", ["budget"]),         # not a field of this kind
    ("goal", "funding", "财政拨款 100"),               # a funding table is a list of tables
    ("goal", "indicators.0.level2", "数量类"),         # not a level name forms print
    ("goal", "indicators.0.target", "很多"),          # quantitative target must be a number
    ("goal", "indicators.0.actual", "1"),            # not a column of the goal form
    ("goal", "indicators.0.level1", "产出"),          # not an allowed value
    ("monitoring", "indicators.0.likelihood", "有可能"),  # then reason and measures are required
    ("monitoring", "months", 13),                    # out of range
    ("monitoring", "kind", "goal"),                  # a goal in the monitoring folder
]


@pytest.mark.parametrize("which, path, value", WRONG, ids=[f"{w}:{p}={v!r}" for w, p, v in WRONG])
def test_a_wrong_record_is_rejected_by_both_the_schema_and_validate(tmp_path: Path, which: str, path: str,
                                                                   value: Any) -> None:
    base, rel, folder = ((_goal(), GOAL_PATH, "goals") if which == "goal"
                         else (_monitoring(), MONITORING_PATH, "monitoring"))
    assert schema_errors(base, folder) == []
    wrong = _set(base, path, value)
    assert schema_errors(wrong, folder) != []
    site = make_site(tmp_path, {rel: yaml.safe_dump(plain(wrong), allow_unicode=True, sort_keys=False)})
    assert [p for p in read_site(site).problems.errors if p.file == f"content/{rel}"] != []


@pytest.mark.parametrize("value", ["1,250.5", "12,860.50", "１２５０", "1250万元", "12860.5", 12860.5, "1234,567"])
def test_numbers_written_as_editors_write_them_are_accepted_like_validate_does(tmp_path: Path, value: Any) -> None:
    record = _set(_goal(), "funds_total", value)
    for part in ("funds_fiscal", "funds_carryover", "funds_other"):
        record.pop(part)
    assert schema_errors(record, "goals") == []
    site = make_site(tmp_path, {GOAL_PATH: yaml.safe_dump(plain(record), allow_unicode=True, sort_keys=False)})
    assert read_site(site).problems.errors == []


def test_schema_titles_and_descriptions_are_chinese_and_complete() -> None:
    goal = SCHEMAS["goal.json"]
    assert set(goal["properties"]) == set(CATALOG.kinds["goal"].field_names) | {"kind", "indicators", "attachments"}
    assert goal["properties"]["funds_unit"]["title"] == "资金单位"
    assert goal["properties"]["funds_unit"]["enum"] == ["元", "万元", None]
    assert goal["properties"]["id"]["description"].startswith("记录编号（必填）：全站唯一")
    row = goal["$defs"]["indicator"]
    assert set(row["properties"]) == set(CATALOG.indicator_fields_for(CATALOG.kinds["goal"])) - {"record_id"}
    # Forms print empty rows and rows without a 一级指标: no column of a row is required as such.
    assert row["required"] == []
    assert re.search(r"[\u4e00-\u9fff]", SCHEMAS["departments.json"]["title"])
