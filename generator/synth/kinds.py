"""One builder per record kind for the synthetic corpus; `Department.generate` runs them in a fixed order
so the same plan and seed always give the same records.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.synth import text as T
from generator.synth.records import LEVEL1_WEIGHT, DeptGenerator, Rec, hundredths, money, rate_tenths, tenths

GRADE_TARGETS = [(0.70, 9000, 9950), (0.20, 8000, 8990), (0.07, 6000, 7990), (0.03, 4500, 5990)]
FISCAL_WEIGHTS = (20, 20, 30, 30)  # 决策, 过程, 产出, 效益
FUNDING_COLUMNS = ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
BLANK6 = [""] * 6


class Department(DeptGenerator):
    def generate(self) -> list[Rec]:
        used: set[str] = set()
        evaluated: list[tuple[dict[str, Any], int]] = []
        new_projects: list[dict[str, Any]] = []
        for seq, (start, years, goal_only) in enumerate(self.p.projects, start=1):
            project = self.project(seq, start, years, used)
            if project["since"] == start:
                new_projects.append(project)
            for year in range(start, start + years):
                self.project_year(project, year, goal_only)
                if not goal_only:
                    evaluated.append((project, year))
        self.pre_assessments(new_projects, used)
        self.fiscal_evaluations(evaluated)
        for year in self.p.dept_goal_years:
            self.dept_goal(year)
        for year in self.p.report_years:
            self.monitoring_report(year)
        self.notices()
        return self.records

    # ---- projects --------------------------------------------------------------------------------

    def project(self, seq: int, start: int, years: int, used: set[str]) -> dict[str, Any]:
        rng = self.rng
        name, theme = self.project_name(used)
        since = start - rng.randint(1, 6) if start == self.first and rng.random() < 0.6 else start
        base = min(50_000_000, max(1000, int(rng.lognormvariate(6.7, 1.2) * 100)))
        return {
            "seq": seq, "name": name, "theme": theme, "since": since, "base": base,
            "code": f"990000{since % 100:02d}{self.p.index + 1:04d}{seq:06d}",
            "unit": "元" if rng.random() < 0.1 else "万元",
            "nature": "一次性项目" if years == 1 and since == start else rng.choice(["经常性项目", "阶段性项目"]),
            "end": start + years - 1, "agency": self.agency(),
            "contact": f"{rng.choice(T.SURNAMES)}某某 {T.AREA_CODE}-{rng.randint(6000000, 6999999)}",
            "money": {},
        }

    def project_year(self, pj: dict[str, Any], year: int, goal_only: bool) -> None:
        rng = self.rng
        unit = pj["unit"]
        total = max(1000, int(pj["base"] * rng.uniform(0.85, 1.15)))
        carry = int(total * rng.uniform(0.02, 0.12)) if year > pj["since"] and rng.random() < 0.25 else 0
        other = int(total * rng.uniform(0.01, 0.1)) if rng.random() < 0.15 else 0
        fiscal = total - carry - other
        count = rng.randint(200, 90000)
        sat = rng.choice((85, 90, 95))
        ctx = self.ctx(project=pj["name"], theme=pj["theme"], year=year, end=pj["end"], count=count, sat=sat,
                       amount=money(total, "万元"))
        specs = self.indicator_specs()
        rows = self.goal_rows(specs, year, total, ctx)
        self.goal_totals[year] = self.goal_totals.get(year, 0) + total
        pid = f"{self.p.code}-{year}"
        goals = rng.sample(T.ANNUAL_GOALS, rng.randint(2, 4))
        rec = {
            "id": f"{pid}-goal-{pj['seq']:04d}", "title": f"{year}年{pj['name']}绩效目标",
            "summary": T.SUMMARIES["goal"].format(**ctx), "variant": "项目支出",
            "project_code": pj["code"], "project_name": pj["name"],
            "agency": pj["agency"], "contact": pj["contact"],
            "project_attribute": "新增项目" if year == pj["since"] else "延续项目",
            "project_nature": pj["nature"], "period_start": f"{pj['since']}-01-01",
            "period_end": f"{pj['end']}-12-31", "approved_on": self.date(year, 1, 2), "funds_unit": unit,
            "funds_total": money(total, unit), "funds_fiscal": money(fiscal, unit),
        }
        if carry:
            rec["funds_carryover"] = money(carry, unit)
        if other:
            rec["funds_other"] = money(other, unit)
        span = pj["end"] - pj["since"] + 1
        rec["project_funds_total"] = money(total if span == 1 else int(total * span * rng.uniform(0.95, 1.1)), unit)
        rec["overall_goal"] = rng.choice(T.OVERALL_GOALS).format(**ctx)
        rec["annual_goals"] = [g.format(**ctx) for g in goals]
        mon_rows = [dict(r) for r in rows]
        eval_rows = [dict(r) for r in rows]
        self.add("goal", rec, rows)
        if goal_only:
            return
        spent = self.monitoring(pj, year, total, specs, mon_rows, ctx)
        self.evaluation(pj, year, spent, specs, eval_rows, ctx)

    def monitoring(self, pj: dict[str, Any], year: int, total: int, specs: list[tuple],
                   rows: list[dict[str, str]], ctx: dict[str, Any]) -> tuple[int, int, int]:
        rng = self.rng
        unit = pj["unit"]
        full = total if rng.random() < 0.7 else int(total * rng.uniform(0.9, 1.15))
        share = rng.uniform(0.35, 0.85) if rng.random() < 0.9 else rng.uniform(0.1, 0.35)
        spent = int(full * share)
        rate = rate_tenths(spent, full)
        colour = 0 if rate >= 500 else 1 if rate >= 300 else 2
        for spec, row in zip(specs, rows, strict=True):
            colour = max(colour, self._monitor_row(spec, row, share))
        warning = "绿黄红"[colour]
        totals = self.year_totals.setdefault(year, [0, 0, 0, 0, 0, 0])
        totals[0] += full
        totals[1] += spent
        totals[2] += 1
        totals[3 + colour] += 1
        rec = {
            "id": f"{self.p.code}-{year}-mon-{pj['seq']:04d}", "title": f"{year}年{pj['name']}绩效监控情况",
            "summary": T.SUMMARIES["monitoring"].format(**ctx, rate=tenths(rate)),
            "project_code": pj["code"], "project_name": pj["name"],
            "agency": pj["agency"], "months": "7", "completed_on": self.date(year, 8, 8), "funds_unit": unit,
            "budget_initial": money(total, unit), "budget_full_year": money(full, unit),
            "spent_to_date": money(spent, unit), "execution_rate": tenths(rate),
            "expected_spend": money(int(full * rng.uniform(0.92, 1.0)), unit), "warning": warning,
            "goal_progress": ("截至7月底，项目绩效目标总体按计划推进。" if colour == 0 else
                              "截至7月底，部分绩效目标进度滞后，已制定纠偏措施。"),
        }
        self.add("monitoring", rec, rows)
        return total, full, int(full * (rng.uniform(0.85, 1.0) if rng.random() < 0.9 else rng.uniform(0.55, 0.85)))

    def _monitor_row(self, spec: tuple, row: dict[str, str], share: float) -> int:
        rng = self.rng
        vkind, op, target = spec[4], row["operator"], row["target"]
        roll = rng.random()
        colour = 0 if roll < 0.9 else 1 if roll < 0.98 else 2
        if vkind in ("n", "c"):
            t = Decimal(target)
            factor = Decimal(str(round(rng.uniform(0.35, 0.9) if op == "≥" else share, 2)))
            q = Decimal("0.01") if vkind == "c" else Decimal(1)
            actual = (t * factor).quantize(q)
            row["actual"] = str(actual)
            row["expected"] = target if colour == 0 else str((t * Decimal("0.85")).quantize(q))
        elif vkind == "p":
            t = int(target)
            row["actual"] = str(t if op == "=" else min(100, t + rng.randint(-3, 2)))
            row["expected"] = target if colour == 0 else str(max(0, t - rng.randint(3, 15)))
        else:
            row["actual"] = rng.choice(["按计划推进", "正在实施", "已完成阶段性任务"])
            row["expected"] = rng.choice(T.QUALITATIVE_ACTUALS[:3]) if colour == 0 else "部分达到预期"
        row["likelihood"] = ("确定能", "有可能", "完全不可能")[colour]
        if colour:
            row["deviation_category"] = rng.choice(T.DEVIATION_CATEGORIES)
            row["deviation_reason"] = rng.choice(T.DEVIATION_REASONS)
            row["corrective_measures"] = rng.choice(T.CORRECTIVE_MEASURES)
        row["warning"] = "绿黄红"[colour]
        return colour

    def evaluation(self, pj: dict[str, Any], year: int, budget: tuple[int, int, int], specs: list[tuple],
                   rows: list[dict[str, str]], ctx: dict[str, Any]) -> None:
        rng = self.rng
        unit = pj["unit"]
        initial, full, spent = budget
        pj["money"][year] = (full, spent)
        rate = rate_tenths(spent, full)
        execution = min(rate, 1000)  # 10 points × rate: hundredths of a point equal tenths of a percent
        scores = self._score_rows(specs, rows, execution)
        total = execution + sum(scores)
        score, grade = hundredths(total), self.catalog.grade_for(total / 100)
        ctx = dict(ctx, score=score, grade=grade, rate=tenths(rate),
                   quality="较好" if total >= 8000 else "一般" if total >= 6000 else "较差")
        kind = "部门评价" if rng.random() < 0.15 else "单位自评"
        amounts = [money(initial, unit), money(full, unit), money(spent, unit)]
        rec = {
            "id": f"{self.p.code}-{year}-eval-{pj['seq']:04d}",
            "title": f"{year}年{pj['name']}{'绩效自评结果' if kind == '单位自评' else '部门评价结果'}",
            "summary": T.SUMMARIES["evaluation"].format(**ctx),
            "project_code": pj["code"], "project_name": pj["name"], "eval_type": kind,
            "agency": pj["agency"], "completed_on": self.date(year + 1, 3, 5), "funds_unit": unit,
            "budget_initial": money(initial, unit), "budget_full_year": money(full, unit),
            "spent": money(spent, unit), "execution_rate": tenths(rate), "execution_weight": "10",
            "execution_score": hundredths(execution),
            # The form's funding block as printed: the total row, then the sources (blank where the form is).
            "funding": [{"caption": "项目资金", "columns": FUNDING_COLUMNS, "rows": [
                ["年度资金总额", *amounts, "10", f"{tenths(rate)}%", hundredths(execution)],
                ["其中：财政拨款", *amounts, "", "", ""], ["上年结转资金", *BLANK6], ["其他资金", *BLANK6]]}],
            "goal_expected": rng.choice(T.GOAL_EXPECTED).format(**ctx),
            "goal_actual": rng.choice(T.GOAL_ACTUAL).format(**ctx), "score": score, "grade": grade,
            "conclusion": rng.choice(T.CONCLUSIONS).format(**ctx),
            "problems": self.listing(T.PROBLEMS, rng.randint(1, 3)),
            "measures": self.listing(T.MEASURES, rng.randint(1, 3)),
        }
        self.add("evaluation", rec, rows)

    def _score_rows(self, specs: list[tuple], rows: list[dict[str, str]], execution: int) -> list[int]:
        """Weights (hundredths) per level-1 group, then losses chosen so the total lands in a grade band."""
        rng = self.rng
        groups: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            groups.setdefault(row["level1"], []).append(i)
        weights = [0] * len(rows)
        for level1, members in groups.items():
            points = LEVEL1_WEIGHT.get(level1, 10)
            for j, i in enumerate(members):
                weights[i] = (points // len(members) + (1 if j < points % len(members) else 0)) * 100
        _, lo, hi = rng.choices(GRADE_TARGETS, weights=[g[0] for g in GRADE_TARGETS])[0]
        target = rng.randint(lo, hi)
        missing = max(0, sum(weights) + execution - target)
        losses = [0] * len(rows)
        for i in rng.sample(range(len(rows)), len(rows)):
            if missing < 10:
                break
            loss = min(missing, int(weights[i] * rng.uniform(0.2, 0.8)) // 10 * 10)
            losses[i] = loss
            missing -= loss
        scores = []
        for spec, row, w, loss in zip(specs, rows, weights, losses, strict=True):
            self._evaluate_row(spec, row, w, w - loss)
            scores.append(w - loss)
        return scores

    def _evaluate_row(self, spec: tuple, row: dict[str, str], weight: int, score: int) -> None:
        rng = self.rng
        vkind, op, target = spec[4], row["operator"], row["target"]
        ratio = Decimal(score) / Decimal(weight) if weight else Decimal(1)
        if vkind in ("n", "c"):
            t = Decimal(target)
            q = Decimal("0.01") if vkind == "c" else Decimal(1)
            if score == weight:
                factor = Decimal(str(round(rng.uniform(1.0, 1.15) if op == "≥" else rng.uniform(0.8, 1.0), 2)))
            else:
                factor = ratio if op == "≥" else 1 / ratio
            row["actual"] = str((t * factor).quantize(q))
        elif vkind == "p":
            t = Decimal(target)
            row["actual"] = target if score == weight else str((t * ratio).quantize(Decimal("0.1")))
        elif vkind == "d":
            row["actual"] = "按期完成" if score == weight else "延期完成"
        else:
            row["actual"] = rng.choice(T.QUALITATIVE_ACTUALS) if score == weight else "部分达到预期"
        row["weight"] = hundredths(weight)
        row["score"] = hundredths(score)
        if score < weight:
            row["deviation_analysis"] = rng.choice(T.DEVIATION_ANALYSES)

    # ---- other kinds -----------------------------------------------------------------------------

    def pre_assessments(self, new_projects: list[dict[str, Any]], used: set[str]) -> None:
        rng = self.rng
        linked = rng.sample(new_projects, min(self.p.pre, len(new_projects)))
        linked.sort(key=lambda pj: pj["seq"])
        items: list[tuple[dict[str, Any] | None, int]] = [(pj, pj["since"]) for pj in linked]
        items += [(None, rng.randint(self.first, self.last)) for _ in range(self.p.pre - len(linked))]
        for k, (pj, year) in enumerate(items, start=1):
            if pj is None:
                name, theme = self.project_name(used)
                amount = int(rng.lognormvariate(6.7, 1.2) * 100)
                conclusion = rng.choice(T.PRE_CONCLUSIONS)
            else:
                name, theme, amount = pj["name"], pj["theme"], pj["base"]
                conclusion = "予以支持" if rng.random() < 0.8 else "调整完善后予以支持"
            agency = pj["agency"] if pj else self.agency()
            ctx = self.ctx(project=name, theme=theme, year=year, agency=agency, amount=money(amount, "万元"),
                           month=rng.randint(9, 11), conclusion=conclusion)
            rec: dict[str, Any] = {"id": f"{self.p.code}-{year}-pre-{k:03d}",
                                   "title": f"{year}年{name}事前绩效评估报告",
                                   "summary": T.SUMMARIES["pre_assessment"].format(**ctx)}
            if pj:
                rec["project_code"] = pj["code"]
            rec["evaluator"] = rng.choice([self.p.name, *T.EVALUATORS])
            rec.update({k2: v.format(**ctx) for k2, v in T.PRE_SECTIONS.items() if k2 != "other"})
            rec["conclusion"] = conclusion
            rec["problems"] = self.listing(T.PROBLEMS, rng.randint(1, 2))
            rec["suggestions"] = self.listing(T.MEASURES, rng.randint(1, 3))
            cut = 1.0 if conclusion == "予以支持" else rng.uniform(0.7, 0.95)
            if conclusion != "不予支持":
                rec["funds_unit"] = "万元"
                rec["suggested_budget"] = money(int(amount * cut), "万元")
            rec["other"] = T.PRE_SECTIONS["other"]
            rec["completed_on"] = self.date(year - 1, 9, 11)
            self.add("pre_assessment", rec)

    def fiscal_evaluations(self, evaluated: list[tuple[dict[str, Any], int]]) -> None:
        rng = self.rng
        picked = sorted(rng.sample(range(len(evaluated)), min(self.p.fiscal, len(evaluated))))
        items: list[tuple[dict[str, Any] | None, int]] = [evaluated[i] for i in picked]
        items += [(None, rng.randint(self.first, self.last)) for _ in range(self.p.fiscal - len(items))]
        for k, (pj, year) in enumerate(items, start=1):
            if pj is not None and rng.random() < 0.15:
                pj = None
            parts = [int(w * 10 * rng.uniform(0.65, 1.0)) for w in FISCAL_WEIGHTS]  # tenths of a point
            total = sum(parts)
            score, grade = tenths(total).removesuffix(".0"), self.catalog.grade_for(total / 10)
            full, spent = pj["money"][year] if pj else (self.goal_totals.get(year, 500000), 0)
            spent = spent or int(full * rng.uniform(0.85, 0.99))
            evaluator = rng.choice(T.EVALUATORS)
            name = pj["name"] if pj else f"{self.p.name}部门整体支出"
            ctx = self.ctx(project=name, year=year, amount=money(full, "万元"), spent=money(spent, "万元"),
                           evaluator=evaluator, score=score, grade=grade,
                           goal=rng.choice(T.OVERALL_GOALS).format(**self.ctx(
                               project=name, theme=pj["theme"] if pj else self.p.sector, end=year)),
                           d=tenths(parts[0]), p=tenths(parts[1]), o=tenths(parts[2]), e=tenths(parts[3]),
                           quality="较好" if total >= 800 else "一般")
            rec: dict[str, Any] = {
                "id": f"{self.p.code}-{year}-fiscal-{k:03d}",
                "title": f"{year}年度{name}{'财政重点绩效评价报告' if pj else '绩效评价报告'}",
                "summary": T.SUMMARIES["fiscal_evaluation" if pj else "fiscal_evaluation_dept"].format(**ctx),
            }
            if pj:
                rec["project_code"] = pj["code"]
            rec.update({"eval_type": "重点绩效评价" if pj else "部门整体评价", "evaluated_dept": self.p.code,
                        "evaluator": evaluator})
            rec.update({k2: v.format(**ctx) for k2, v in T.FISCAL_SECTIONS.items() if k2 != "indicator_analysis"})
            rec.update({"score": score, "grade": grade, "conclusion": rng.choice(T.CONCLUSIONS).format(**ctx),
                        "score_decision": tenths(parts[0]), "score_process": tenths(parts[1]),
                        "score_output": tenths(parts[2]), "score_effect": tenths(parts[3]),
                        "indicator_analysis": T.FISCAL_SECTIONS["indicator_analysis"].format(**ctx),
                        "experience": self.listing(T.EXPERIENCES, rng.randint(1, 3)),
                        "problems": self.listing(T.PROBLEMS, rng.randint(2, 3)),
                        "suggestions": self.listing(T.MEASURES, rng.randint(2, 3)),
                        "completed_on": self.date(year + 1, 6, 10)})
            self.add("fiscal_evaluation", rec)

    def dept_goal(self, year: int) -> None:
        rng = self.rng
        total = int(self.goal_totals.get(year, 200000) * rng.uniform(1.1, 1.6))
        other = int(total * rng.uniform(0.01, 0.05))
        ctx = self.ctx(year=year, amount=money(total, "万元"), project=f"{self.p.short}重点工作", theme=self.p.sector,
                       end=year, count=rng.randint(1000, 90000), sat=90)
        specs = self.indicator_specs(dept_wide=True)
        rec = {
            "id": f"{self.p.code}-{year}-goal-dept", "title": f"{self.p.name}{year}年部门整体支出绩效目标",
            "summary": T.SUMMARIES["goal_dept"].format(**ctx), "variant": "部门整体支出", "agency": self.p.name,
            "period_start": f"{year}-01-01", "period_end": f"{year}-12-31", "approved_on": self.date(year, 1, 2),
            "funds_unit": "万元", "funds_total": money(total, "万元"), "funds_fiscal": money(total - other, "万元"),
            "funds_other": money(other, "万元"),
            "dept_functions": "".join(rng.sample(T.DEPT_FUNCTIONS, 2)).format(**ctx),
            "overall_goal": T.OVERALL_GOALS[1].format(**ctx),
            "annual_goals": [g.format(**ctx) for g in rng.sample(T.ANNUAL_GOALS, 3)],
        }
        self.add("goal", rec, self.goal_rows(specs, year, total, ctx))

    def monitoring_report(self, year: int) -> None:
        rng = self.rng
        budget, spent, count, green, yellow, red = self.year_totals.get(year) or [0, 0, 0, 0, 0, 0]
        if not count:
            budget = rng.randint(100000, 5000000)
            spent = int(budget * rng.uniform(0.4, 0.7))
        ctx = self.ctx(year=year, count=count, amount=money(budget, "万元"), spent=money(spent, "万元"),
                       rate=tenths(rate_tenths(spent, budget)), green=green, yellow=yellow, red=red)
        submitted = self.date(year, 8, 8)
        rec: dict[str, Any] = {"id": f"{self.p.code}-{year}-monrep", "title": f"{self.p.name}{year}年绩效监控报告",
                               "summary": T.SUMMARIES["monitoring_report"].format(**ctx)}
        rec.update({k: v.format(**ctx) for k, v in T.MONITORING_REPORT.items()})
        rec["problems"] = self.listing(T.PROBLEMS, rng.randint(2, 3))
        rec["suggestions"] = self.listing(T.MEASURES, rng.randint(2, 3))
        rec["other"] = rec.pop("other")
        rec["submitted_on"] = submitted
        rec["completed_on"] = submitted
        self.add("monitoring_report", rec)

    def notices(self) -> None:
        rng = self.rng
        years = sorted(rng.randint(self.first, self.last) for _ in range(self.p.notices))
        for k, year in enumerate(years, start=1):
            notice_type, title = rng.choice(T.NOTICE_TITLES)
            month = rng.randint(1, 12)
            ctx = self.ctx(year=year, month=month, day=rng.randint(1, 28), count=rng.randint(30, 300),
                           unit_word="盟市财政局、自治区本级各部门" if self.p.sector == "财政" else "直属单位")
            body = T.NOTICE_BODY[0 if notice_type == "通知通告" else rng.randint(1, 2)]
            rec = {"id": f"{self.p.code}-{year}-notice-{k:03d}", "title": title.format(**ctx),
                   "notice_type": notice_type, "issued_on": f"{year}-{month:02d}-{rng.randint(1, 28):02d}",
                   "body": body.format(**ctx)}
            self.add("notice", rec)
