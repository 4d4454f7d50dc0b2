"""Numbers are finite and bounded, and hostile tables end in a short list (issue 17, point 6):
Infinity, NaN, exponents and more than 15 significant digits are refused with the usual message; an
amount over `limits.max_amount` is refused; a CSV cell over csv's field limit, a header with thousands
of columns and a table whose every row is wrong end in one clear message per file (at most
`limits.max_problems_per_file` of one kind, then "另有 N 个同类问题"), exit 1, never a traceback."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.fixtures_site import GOAL, GOAL_PATH, MONITORING, MONITORING_PATH, make_site

CSV_HEADER = "id,title,summary,variant,approved_on,funds_unit,funds_total\n"
CSV_PATH = "jyt/2026/goals/table.csv"


def _validate(root: Path, *extra: str):
    result = CliRunner().invoke(main, ["validate", "--root", str(root), "--format", "json", *extra])
    assert "Traceback" not in result.output
    return result, json.loads(result.stdout)


@pytest.mark.parametrize("written", ["Infinity", "-Infinity", "NaN", "inf", "1e400", "1e-400", "1E3",
                                     "0x10", "1234567890123456", "12345678901234.56"])
def test_non_finite_exponent_and_overlong_amounts_are_refused(tmp_path: Path, written: str):
    goal = GOAL.replace("funds_other: 100", f'funds_other: "{written}"')
    root = make_site(tmp_path, {GOAL_PATH: goal})
    result, data = _validate(root)
    assert result.exit_code == 1
    mine = [p for p in data["problems"] if p["field"] == "funds_other" and p["severity"] == "error"]
    assert mine and mine[0]["code"] in ("type_number", "number_too_many_digits"), mine
    assert mine[0]["file"] == f"content/{GOAL_PATH}" and mine[0]["line"] == 16


@pytest.mark.parametrize("written", ["Infinity", "NaN", "1e400", "1234567890123456789"])
def test_non_finite_indicator_targets_are_not_numbers(tmp_path: Path, written: str):
    goal = GOAL.replace('target: "85000"', f'target: "{written}"')
    root = make_site(tmp_path, {GOAL_PATH: goal})
    result, data = _validate(root)
    assert result.exit_code == 1
    assert any(p["code"] == "target_not_number" for p in data["problems"]), data["problems"]


def test_integer_year_with_exponent_is_refused(tmp_path: Path):
    monitoring = MONITORING.replace("months: 7", 'months: "7e0"')
    root = make_site(tmp_path, {MONITORING_PATH: monitoring})
    result, data = _validate(root)
    assert result.exit_code == 1 and any(p["code"] == "type_integer" for p in data["problems"])


def test_plain_numbers_still_pass(tmp_path: Path):
    root = make_site(tmp_path, {GOAL_PATH: GOAL.replace("funds_other: 100", 'funds_other: "１００.00"')})
    result, _ = _validate(root)
    assert result.exit_code == 0, result.output


def test_amount_over_the_configured_bound_is_refused(tmp_path: Path):
    # 12,860.5 万元 is 128,605,000 元: over a bound of 125,000,000 元 (财政拨款 12,000 万元 is under it), under the default.
    root = make_site(tmp_path)
    result, _ = _validate(root)
    assert result.exit_code == 0
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("max_amount: 1000000000000", "max_amount: 125000000"),
                      encoding="utf-8")
    result, data = _validate(root)
    assert result.exit_code == 1
    over = [p for p in data["problems"] if p["code"] == "amount_too_large"]
    assert [p["field"] for p in over] == ["funds_total"] and "128,605,000" in over[0]["message"]


@pytest.mark.parametrize("field_limit", [131_072, None])
def test_a_cell_over_the_csv_field_limit_is_one_message(tmp_path: Path, field_limit: int | None):
    """csv's field limit is process-wide (Frictionless raises it when imported): either way, one message."""
    row = f'jyt-2026-goal-big,"{"长" * 200_000}",摘要,项目支出,2026-02-14,万元,1\n'
    root = make_site(tmp_path, {CSV_PATH: CSV_HEADER + row})
    before = csv.field_size_limit(field_limit or csv.field_size_limit())
    try:
        result, data = _validate(root)
    finally:
        csv.field_size_limit(before)
    if field_limit is None:  # read whole: the title is too long, said once, without quoting it
        assert result.exit_code == 1 and len(result.output) < 5000
        assert any(p["code"] == "max_length" and p["field"] == "title" for p in data["problems"])
        return
    assert result.exit_code == 1
    mine = [p for p in data["problems"] if p["file"] == f"content/{CSV_PATH}"]
    assert [p["code"] for p in mine] == ["csv_bad_cell"] and mine[0]["line"] == 2
    assert len(result.output) < 5000


def test_a_million_columns_is_one_message(tmp_path: Path):
    header = CSV_HEADER.rstrip("\n") + "," * 1_000_000 + "\n"
    root = make_site(tmp_path, {CSV_PATH: header + "jyt-2026-goal-c,标题,摘要,项目支出,2026-02-14,万元,1\n"})
    result, data = _validate(root)
    assert result.exit_code == 1
    mine = [p for p in data["problems"] if p["file"] == f"content/{CSV_PATH}"]
    assert [p["code"] for p in mine] == ["csv_too_many_columns"]
    assert len(result.output) < 5000


def test_many_problems_of_one_kind_are_capped(tmp_path: Path):
    rows = "".join(f"jyt-2026-goal-r{i},标题{i},摘要,项目支出,2026-02-14,万元,不是数字{i}\n" for i in range(1000))
    root = make_site(tmp_path, {CSV_PATH: CSV_HEADER + rows})
    result, data = _validate(root)
    assert result.exit_code == 1
    mine = [p for p in data["problems"] if p["file"] == f"content/{CSV_PATH}"]
    numbers = [p for p in mine if p["code"] == "type_number"]
    more = [p for p in mine if p["code"] == "more_problems" and p["params"]["kind"] == "type_number"]
    assert len(numbers) == 200 and len(more) == 1
    assert more[0]["params"]["count"] == "800" and "另有 800 个同类问题" in more[0]["message"]
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("max_problems_per_file: 200",
                                                                  "max_problems_per_file: 5"), encoding="utf-8")
    _, data = _validate(root)
    assert sum(p["code"] == "type_number" for p in data["problems"]) == 5


def test_build_refuses_the_same_and_writes_nothing(tmp_path: Path):
    root = make_site(tmp_path / "repo", {GOAL_PATH: GOAL.replace("funds_other: 100", 'funds_other: "1e400"')})
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1 and "不是有效的数字" in result.output
    assert not (tmp_path / "site").exists()
