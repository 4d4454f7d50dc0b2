"""Every equation closed (issue 18, point 5): the arithmetic declared in schemas/kinds.yml is checked by
validation and kept unsolvable by redaction. For each declared equation and each of its members, a
record withholds that member (a field by `withheld_fields`, an indicator column by a confidential row);
all cases are built in one fixture site, and a solver that knows every equation (and, at worst, how
many rows are hidden) works from the published JSON only: the withheld member stays unknown."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from generator.build import build
from generator.build import read_site as check_site
from generator.model.catalog import load_catalog
from generator.model.equations import Equation, column, is_column, number
from tests.fixtures_site import DEPARTMENTS, GOAL, MONITORING, PROJECT, make_site

EXAMPLES = {
    "goal": ("jyt/2026/goals/jyt-2026-goal-xszz.yml", GOAL),
    "monitoring": ("lcj/2026/monitoring/lcj-2026-mon-thlc.yml", MONITORING),
    "evaluation": ("jyt/2025/evaluations/jyt-2025-eval-xszz.yml",
                   (PROJECT / "content/jyt/2025/evaluations/jyt-2025-eval-xszz.yml").read_text(encoding="utf-8")),
    "fiscal_evaluation": ("czt/2025/fiscal-evaluations/czt-2025-feval-knqz.yml",
                          (PROJECT / "content/czt/2025/fiscal-evaluations/czt-2025-feval-knqz.yml")
                          .read_text(encoding="utf-8")),
}
CATALOG = load_catalog()
MORE_DEPARTMENTS = DEPARTMENTS + """\
- code: czt
  name: 内蒙古自治区财政厅
  short_name: 财政厅
  portal_url: https://czt.nmg.gov.cn/
- code: mzt
  name: 内蒙古自治区民政厅
  short_name: 民政厅
  portal_url: https://mzt.nmg.gov.cn/
"""


def _cases() -> list[tuple[str, int, str]]:
    """(kind, equation index, member) for every member of every equation of every kind."""
    out = []
    for name, kind in CATALOG.kinds.items():
        for i, eq in enumerate(kind.equations):
            out += [(name, i, m) for m in eq.members if isinstance(m, str)]
    return out


CASES = _cases()


def _record(kind: str, n: int, member: str) -> tuple[str, str, str]:
    path, text = EXAMPLES[kind]
    old_id = re.search(r"^id: (\S+)", text, re.M)[1]
    rid = f"{old_id}-eq{n}"
    text = text.replace(f"id: {old_id}", f"id: {rid}")
    text = re.sub(r"^withheld_fields:.*\n", "", text, flags=re.M)
    text = text.split("\nattachments:")[0] + "\n"  # the example's report files are not copied here
    # Prose that repeats a number (得分87.5分, 执行率99.4%) would quote whichever member is withheld.
    text = re.sub(r"^(\w+): (?=.*\d)(?=.*[\u4e00-\u9fff]).*$", r"\1: 本段文字另行撰写。", text, flags=re.M)
    text = re.sub(r"^confidential_basis:.*\n", "", text, flags=re.M)
    if is_column(member):
        # The first indicator row with a value in that column becomes confidential.
        lines = text.split("\n")
        first = next(i for i, line in enumerate(lines) if line.startswith("  - {") and f"{column(member)}:" in line)
        lines[first] = lines[first].rstrip("}") + ", confidential: true}"
        text = "\n".join(lines)
    else:
        text = text.replace("\nindicators:", f"\nwithheld_fields: [{member}]\nindicators:", 1) \
            if "\nindicators:" in text else text.rstrip("\n") + f"\nwithheld_fields: [{member}]\n"
    folder, name = path.rsplit("/", 1)
    return f"{folder}/{rid}.yml", text, rid


def test_every_kind_with_equations_has_an_example_and_the_examples_hold_them():
    kinds = {name for name, _, _ in CASES}
    assert kinds <= set(EXAMPLES), kinds - set(EXAMPLES)
    assert len(CASES) >= 20


def _solve(equations: list[Equation], fields: dict, rows: list[dict], hidden_rows: int,
           withheld: list[str]) -> set[str]:
    """What a reader can know: published fields and rows, then every equation with one unknown, until
    nothing more follows. A field neither published nor marked withheld is empty (a sum's part: 0)."""
    known: set[str] = {k for k, v in fields.items() if v not in (None, "")}
    known |= {m for eq in equations for m in eq.members
              if isinstance(m, str) and not is_column(m) and m not in fields and m not in withheld}
    columns = {k for row in rows for k in row}
    # A column is known only when no row is hidden and every published row shows it.
    known |= {f"rows.{c}" for c in columns if hidden_rows == 0 and all(row.get(c) not in (None, "") for row in rows)}
    changed = True
    while changed:
        changed = False
        for eq in equations:
            names = [m for m in eq.members if isinstance(m, str)]
            unknown = [m for m in names if m not in known]
            if eq.form == "bands":
                if eq.operands[0] in known and eq.result not in known:
                    known.add(eq.result)
                    changed = True
                continue
            if eq.form == "sum":
                # A column counts one unknown per hidden row and per published row not showing it.
                unknown_cells = sum(hidden_rows + sum(row.get(column(m)) in (None, "") for row in rows)
                                    if is_column(m) else 1 for m in unknown)
            else:
                unknown_cells = len(unknown)
            if unknown_cells == 1:
                known.add(unknown[0])
                changed = True
    return known


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    records = {}
    expected = {}
    for n, (kind, i, member) in enumerate(CASES):
        path, text, rid = _record(kind, n, member)
        records[path] = text
        expected[rid] = (kind, i, member)
    root = make_site(tmp_path_factory.mktemp("equations"), {"departments.yml": MORE_DEPARTMENTS, **records})
    problems = check_site(root).problems.errors
    assert problems == [], [p.render() for p in problems]
    build(root, root / "site")
    return root, expected


def test_no_withheld_member_of_any_equation_can_be_solved_from_the_output(built):
    root, expected = built
    for rid, (kind, i, member) in expected.items():
        data = json.loads((root / "site" / "records" / rid / f"{rid}.json").read_text(encoding="utf-8"))
        fields, rows = data["fields"], data["indicators"]
        hidden_rows = 1 if is_column(member) else 0
        assert member not in fields or is_column(member), (rid, member)
        known = _solve(CATALOG.kinds[kind].equations, fields, rows, hidden_rows, data["withheld_fields"])
        # A field: its value; a column: the hidden row's cell (no total that would reveal it is published).
        assert member not in known, (rid, CATALOG.kinds[kind].equations[i], member, sorted(known))


def test_a_confidential_row_leaves_no_trace_in_published_totals(built):
    root, expected = built
    rid = next(r for r, (k, _, m) in expected.items() if k == "evaluation" and m == "rows.score")
    data = json.loads((root / "site" / "records" / rid / f"{rid}.json").read_text(encoding="utf-8"))
    assert "score" not in data["fields"]  # the total the row's score would follow from
    # The public rows' weights no longer fall short of 100 (which would show the row and its weight).
    assert all(number(row.get("weight")) is None for row in data["indicators"])
    assert "rows.weight" in data["withheld_fields"]
    assert data["fields"]["grade"] == "优"  # a band, not a score: it stays


def test_validation_checks_every_declared_equation(tmp_path):
    path, text = EXAMPLES["evaluation"]
    broken = text.replace("execution_score: 9.94", "execution_score: 8.94")
    root = make_site(tmp_path, {"departments.yml": MORE_DEPARTMENTS, path: broken})
    codes = {(p.code, p.field) for p in check_site(root).problems.errors}
    # 总分 no longer adds up, and 预算执行得分 is not 执行率 × 分值.
    assert ("equation_mismatch", "score") in codes and ("equation_mismatch", "execution_score") in codes
    weights = text.replace("weight: 15, score: 15}", "weight: 16, score: 15}", 1)
    root = make_site(tmp_path / "w", {"departments.yml": MORE_DEPARTMENTS, path: weights})
    messages = [p.message for p in check_site(root).problems.errors if p.code == "equation_mismatch"]
    assert any("各指标分值之和" in m and "100" in m for m in messages), messages


def test_the_issue_example_score_grade_spent_withheld(tmp_path):
    """withheld_fields: [score, grade, spent]: row scores + execution score would give the score, and
    execution score ÷ weight the rate and so spent."""
    from generator.secrecy.redact import redact

    path, text = EXAMPLES["evaluation"]
    text = text.replace("\nindicators:", "\nwithheld_fields: [score, grade, spent]\nindicators:", 1)
    root = make_site(tmp_path, {"departments.yml": MORE_DEPARTMENTS, path: text})
    validated = check_site(root)
    public = next(r for r in redact(validated.records, validated.catalog).public if r.kind == "evaluation")
    known = _solve(CATALOG.kinds["evaluation"].equations, public.fields, public.rows, 0, public.withheld)
    assert not {"score", "grade", "spent"} & known
    assert Decimal(str(public.fields["budget_full_year"])) > 0  # the rest of the record stays public
