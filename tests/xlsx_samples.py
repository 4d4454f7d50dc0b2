"""Sample workbooks in the layouts departments actually use: a title row, a （年度） subtitle, 单位：万元,
label cells beside merged value cells, funds as a small matrix, 一级指标 merged down its rows, and a
two-row indicator header with tick columns (monitoring). Each builder returns the workbook's path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def _put(ws: Worksheet, ref: str, value: Any, merge: str | None = None, fmt: str | None = None) -> None:
    ws[ref] = value
    if fmt:
        ws[ref].number_format = fmt
    if merge:
        ws.merge_cells(f"{ref}:{merge}")


def goal_sheet(ws: Worksheet) -> None:
    ws.title = "目标申报表"
    _put(ws, "A1", "项目支出绩效目标申报表", "H1")
    _put(ws, "A2", "（2026年度）", "F2")
    _put(ws, "G2", "单位：万元", "H2")
    _put(ws, "A4", "项目名称")
    _put(ws, "B4", "家庭经济困难学生资助补助资金", "D4")
    _put(ws, "E4", "项目代码")
    _put(ws, "F4", "150000261000000101", "H4")
    _put(ws, "A5", "主管部门及代码")
    _put(ws, "B5", "内蒙古自治区教育厅（101）", "D5")
    _put(ws, "E5", "实施单位")
    _put(ws, "F5", "内蒙古自治区学生资助管理中心", "H5")
    _put(ws, "A6", "项目属性")
    _put(ws, "B6", "延续项目", "D6")
    _put(ws, "E6", "项目性质")
    _put(ws, "F6", "经常性", "H6")
    _put(ws, "A7", "项目负责人及电话")
    _put(ws, "B7", "张某某 0471-1234567", "D7")
    _put(ws, "E7", "计划起止日期")
    _put(ws, "F7", "2026年1月-2026年12月", "H7")
    _put(ws, "A8", "项目资金（万元）", "A11")
    for row, label, value in ((8, "年度资金总额", 12860.5), (9, "其中：财政拨款", 12000), (10, "上年结转", 760.5),
                              (11, "其他资金", 100)):
        _put(ws, f"B{row}", label)
        _put(ws, f"C{row}", value, f"D{row}")
    _put(ws, "E8", "项目资金总额")
    _put(ws, "F8", 38000, "H8")
    _put(ws, "A12", "总体目标", "A13")
    _put(ws, "B12", "中长期目标（2026—2028年）", "D12")
    _put(ws, "E12", "年度目标", "H12")
    _put(ws, "B13", "健全学生资助体系，做到应助尽助。", "D13")
    _put(ws, "E13", "目标1：按时足额发放国家助学金、奖学金。\n目标2：资助家庭经济困难学生不少于8.5万人次。", "H13")
    _put(ws, "A14", "绩效指标", "A18")
    for col, head in zip("BCDEFGH", ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "指标值说明"),
                         strict=True):
        _put(ws, f"{col}14", head)
    _put(ws, "B15", "产出指标", "B16")
    rows = [
        (15, None, "数量指标", "资助学生人次", "≥", 85000, "人次"),
        (16, None, "时效指标", "资金发放及时率", "=", 100, "%"),
        (17, "效益指标", "社会效益指标", "学生因经济困难辍学情况", "定性", "有效避免", None),
        (18, "满意度指标", "服务对象满意度", "受助学生满意度", None, "≥95%", None),
    ]
    for row, l1, l2, name, op, target, unit in rows:
        if l1:
            _put(ws, f"B{row}", l1)
        _put(ws, f"C{row}", l2)
        _put(ws, f"D{row}", name)
        _put(ws, f"E{row}", op)
        _put(ws, f"F{row}", target)
        _put(ws, f"G{row}", unit)
    _put(ws, "A20", "填表人：李某某", "D20")


def monitoring_sheet(ws: Worksheet) -> None:
    ws.title = "监控表"
    _put(ws, "A1", "2026年项目支出绩效目标监控情况表", "P1")
    _put(ws, "A2", "（1-7月）", "N2")
    _put(ws, "O2", "单位：万元", "P2")
    _put(ws, "A3", "项目名称")
    _put(ws, "B3", "退化林修复项目", "H3")
    _put(ws, "I3", "项目代码")
    _put(ws, "J3", "150000261000000202", "P3")
    _put(ws, "A4", "主管部门")
    _put(ws, "B4", "林草局", "H4")
    _put(ws, "I4", "实施单位")
    _put(ws, "J4", "自治区林业和草原保护中心", "P4")
    _put(ws, "A5", "项目资金", "A7")
    for col, head in zip("CDEFG", ("年初预算数", "全年预算数", "1-7月执行数", "1-7月执行率", "全年预计执行数"), strict=True):
        _put(ws, f"{col}5", head)
    _put(ws, "B6", "年度资金总额")
    for col, value in zip("CDEG", (3000, 3200, 1600, 3150), strict=True):
        _put(ws, f"{col}6", value)
    _put(ws, "F6", 0.5, fmt="0.0%")
    _put(ws, "B7", "其中：财政拨款")
    for col, value in zip("CDE", (3000, 3200, 1600), strict=True):
        _put(ws, f"{col}7", value)
    _put(ws, "A8", "年度总体目标", "A9")
    _put(ws, "B8", "年初目标", "G8")
    _put(ws, "H8", "1-7月实际完成情况", "P8")
    _put(ws, "B9", "完成退化林修复20万亩。", "G9")
    _put(ws, "H9", "已完成退化林修复11.5万亩，进度符合预期。", "P9")
    _put(ws, "A10", "绩效指标", "A13")
    for col, head in zip("BCDEFG", ("一级指标", "二级指标", "三级指标", "年度指标值", "1-7月实际完成值", "全年预计完成值"),
                         strict=True):
        _put(ws, f"{col}10", head, f"{col}11")
    _put(ws, "H10", "偏差原因分析", "L10")
    _put(ws, "M10", "完成目标可能性", "O10")
    _put(ws, "P10", "纠偏措施", "P11")
    for col, head in zip("HIJKLMNO", ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他", "确定能", "有可能", "完全不可能"),
                         strict=True):
        _put(ws, f"{col}11", head)
    _put(ws, "B12", "产出指标", "B13")
    _put(ws, "C12", "数量指标")
    _put(ws, "D12", "退化林修复面积")
    _put(ws, "E12", "≥20万亩")
    _put(ws, "F12", "11.5")
    _put(ws, "G12", 20)
    _put(ws, "M12", "√")
    _put(ws, "C13", "质量指标")
    _put(ws, "D13", "苗木成活率")
    _put(ws, "E13", "≥85%")
    _put(ws, "F13", 0.8, fmt="0%")
    _put(ws, "G13", "83%")
    _put(ws, "L13", "春季干旱，部分苗木需补植")
    _put(ws, "N13", "√")
    _put(ws, "P13", "秋季补植并加强管护")


def evaluation_sheet(ws: Worksheet) -> None:
    ws.title = "自评表"
    _put(ws, "A1", "项目支出绩效自评表", "J1")
    _put(ws, "A2", "（2025年度）", "J2")
    _put(ws, "A3", "项目名称")
    _put(ws, "B3", "学生资助补助资金", "J3")
    _put(ws, "A4", "主管部门")
    _put(ws, "B4", "内蒙古自治区教育厅", "E4")
    _put(ws, "F4", "实施单位")
    _put(ws, "G4", "内蒙古自治区学生资助管理中心", "J4")
    _put(ws, "A5", "项目资金（万元）", "A9")
    for col, head in zip("CDEFGH", ("年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"),
                         strict=True):
        _put(ws, f"{col}5", head)
    money = [(6, "年度资金总额", 12000, 12860.5, 12600, 10, 0.98, 9.8),
             (7, "其中：当年财政拨款", 12000, 12000, 11800, None, None, None),
             (8, "上年结转资金", 0, 760.5, 700, None, None, None),
             (9, "其他资金", 0, 100, 100, None, None, None)]
    for row, label, *values in money:
        _put(ws, f"B{row}", label)
        for col, value in zip("CDEFGH", values, strict=True):
            if value is not None:
                _put(ws, f"{col}{row}", value, fmt="0.0%" if col == "G" else None)
    _put(ws, "A10", "年度总体目标", "A11")
    _put(ws, "B10", "预期目标", "E10")
    _put(ws, "F10", "实际完成情况", "J10")
    _put(ws, "B11", "资助家庭经济困难学生8.5万人次。", "E11")
    _put(ws, "F11", "资助家庭经济困难学生8.7万人次。", "J11")
    _put(ws, "A12", "绩效指标", "A16")
    for col, head in zip("BCDEFGH", ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"),
                         strict=True):
        _put(ws, f"{col}12", head)
    _put(ws, "I12", "偏差原因分析及改进措施", "J12")
    rows = [
        (13, "产出指标", "数量指标", "资助学生人次", "≥8.5万人次", "8.7万人次", 25, 25, None),
        (14, None, "时效指标", "资金发放及时率", "＝100%", "96%", 25, 24, "个别学校上报延迟，已督促整改"),
        (15, "效益指标", "社会效益指标", "学生因经济困难辍学情况", "有效避免", "有效避免", 30, 30, None),
        (16, "满意度指标", "服务对象满意度指标", "受助学生满意度", "≥95%", "93%", 10, 4.7, "宣传不到位"),
    ]
    _put(ws, "B13", "产出指标", "B14")
    for row, l1, l2, name, target, actual, weight, score, note in rows:
        if l1 and row != 13:
            _put(ws, f"B{row}", l1)
        for col, value in zip("CDEFGH", (l2, name, target, actual, weight, score), strict=True):
            _put(ws, f"{col}{row}", value)
        if note:
            _put(ws, f"I{row}", note, f"J{row}")
    _put(ws, "A17", "总分", "F17")
    _put(ws, "G17", 100)
    _put(ws, "H17", 93.5)
    for row, label, text in ((18, "评价结论", "项目总体完成年度目标，自评等级为优。"),
                             (19, "存在问题", "受助学生满意度未达目标。"),
                             (20, "改进措施", "加强政策宣传，提高资助工作透明度。")):
        _put(ws, f"A{row}", label)
        _put(ws, f"B{row}", text, f"J{row}")


def workbook(path: Path, *sheets) -> Path:
    wb = Workbook()
    first = True
    for build in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        build(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def dept_goal_sheet(ws: Worksheet) -> None:
    """部门整体支出绩效目标表: no project, the department's functions and yearly goals, the same rows."""
    ws.title = "部门整体"
    _put(ws, "A1", "2026年度部门整体支出绩效目标表", "F1")
    _put(ws, "E2", "单位：万元", "F2")
    _put(ws, "A3", "部门（单位）名称")
    _put(ws, "B3", "内蒙古自治区林业和草原局", "F3")
    _put(ws, "A4", "年度资金总额")
    _put(ws, "B4", 52000, "C4")
    _put(ws, "D4", "其中：财政拨款")
    _put(ws, "E4", 52000, "F4")
    _put(ws, "A5", "部门职能职责概述")
    _put(ws, "B5", "负责全区林业和草原及其生态保护修复的监督管理。", "F5")
    _put(ws, "A6", "年度总体目标")
    _put(ws, "B6", "1. 完成营造林任务。\n2. 森林草原火灾受害率控制在规定范围内。", "F6")
    for col, head in zip("ABCDE", ("一级指标", "二级指标", "三级指标", "指标性质", "指标值"), strict=True):
        _put(ws, f"{col}7", head)
    _put(ws, "A8", "产出指标")
    _put(ws, "B8", "数量指标")
    _put(ws, "C8", "营造林面积")
    _put(ws, "D8", "≥")
    _put(ws, "E8", "800万亩")
