"""A tiny valid site in a temporary directory, for any test that needs one.

`make_site(tmp_path)` writes site_config.yml (the project's own), content/departments.yml and two small
valid records; `records` adds or replaces files by their path under content/ (text written as UTF-8;
pass bytes to write them as they are, e.g. a GBK-encoded CSV, or None to leave a default record out).
"""

from __future__ import annotations

import shutil
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

DEPARTMENTS = """\
- code: jyt
  name: 内蒙古自治区教育厅
  short_name: 教育厅
  portal_url: https://jyt.nmg.gov.cn/
- code: lcj
  name: 内蒙古自治区林业和草原局
  short_name: 林草局
  portal_url: https://lcj.nmg.gov.cn/
"""

GOAL_PATH = "jyt/2026/goals/jyt-2026-goal-xszz.yml"
GOAL = """\
id: jyt-2026-goal-xszz
title: 2026年家庭经济困难学生资助补助资金绩效目标
summary: 资助家庭经济困难学生，保障其顺利完成学业。
variant: 项目支出
project_code: "150000261000000101"
agency: 内蒙古自治区学生资助管理中心
project_attribute: 延续项目
project_nature: 经常性项目
period_start: 2026-01-01
period_end: 2026-12-31
approved_on: 2026-02-14
funds_unit: 万元
funds_total: 12860.5
funds_fiscal: 12000
funds_carryover: 760.5
funds_other: 100
overall_goal: 健全学生资助体系，做到应助尽助。
annual_goals:
  - 按时足额发放国家助学金、奖学金。
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 资助学生人次, operator: "≥", target: "85000", unit: 人次}
  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 受助学生满意度, operator: "≥", target: "95", unit: "%"}
"""

MONITORING_PATH = "lcj/2026/monitoring/lcj-2026-mon-thlc.yml"
MONITORING = """\
id: lcj-2026-mon-thlc
title: 2026年退化林修复项目绩效目标监控情况
project_code: "150000261000000202"
months: 7
completed_on: 2026-08-10
funds_unit: 万元
budget_initial: 3000
budget_full_year: 3200
spent_to_date: 1600
execution_rate: 50.0
warning: 绿
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 退化林修复面积
    operator: "≥"
    target: "20"
    unit: 万亩
    actual: "11.5"
    expected: "20"
    likelihood: 确定能
"""


def make_site(tmp_path: Path, records: dict[str, str | bytes | None] | None = None) -> Path:
    """Write a valid site under `tmp_path` and return its root (the directory holding content/)."""
    root = Path(tmp_path)
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT / "site_config.yml", root / "site_config.yml")
    files: dict[str, str | bytes | None] = {"departments.yml": DEPARTMENTS, GOAL_PATH: GOAL,
                                            MONITORING_PATH: MONITORING}
    files.update(records or {})
    for rel, text in files.items():
        if text is None:
            continue
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root
