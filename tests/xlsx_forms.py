"""Workbooks laid out like real published forms (values from the transcriptions in
tests/corpus/real_forms/, the file named in each builder): merged block headings, merged 一级/二级指标
cells, section points in 一级指标 cells, funding lists and matrices as those forms print them."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet
from xlsx_samples import _put


def fujian_dept_goal(ws: Worksheet) -> None:
    """07_fujian_dept_goal_dangshi.yml: 年度预算安排 (资金总额 = 项目支出 + 基本支出) and 年度履职目标."""
    ws.title = "部门整体目标"
    _put(ws, "A1", "部门整体支出绩效目标表", "F1")
    _put(ws, "A2", "年度")
    _put(ws, "B2", "2019年度)", "F2")
    _put(ws, "A3", "部门(单位)名称")
    _put(ws, "B3", "中共宁德市委党史和地方志研究室", "C3")
    _put(ws, "D3", "部门预算编码")
    _put(ws, "E3", "901001033", "F3")
    _put(ws, "A4", "年度预算安排(万元)", "A7")
    _put(ws, "B4", "项目")
    _put(ws, "C4", "金额", "F4")
    for row, label, amount in ((5, "资金总额", 171.41), (6, "项目支出", 60.8), (7, "基本支出", 110.61)):
        _put(ws, f"B{row}", label)
        _put(ws, f"C{row}", amount, f"F{row}")
    _put(ws, "A8", "年度履职目标", "A11")
    for col, head in zip("BCDE", ("部门职能", "年度目标任务", "支出项目名称", "预算金额(万元)"), strict=True):
        _put(ws, f"{col}8", head, "F8" if col == "E" else None)
    duties = [("组织、指导、编纂、督促和检查地方志、年鉴、地情工作", "保障志鉴地情相关工作开展所需资金,确保完成2019年度任务",
               "地情、市志编纂与年鉴出版经费", 49.8),
              ("确保本室各人员工资及福利的发放", "按时发放2019年人员福利", "地情、市志编纂与年鉴出版经费", 11),
              ("确保日常工作正常运行", "按时发放2019年人员工资待遇", "基本支出", 171.41)]
    for row, values in enumerate(duties, start=9):
        for col, value in zip("BCDE", values, strict=True):
            _put(ws, f"{col}{row}", value, f"F{row}" if col == "E" else None)
    _put(ws, "A12", "年度总体目标")
    _put(ws, "B12", "目标1:确保本室各人员工资及福利的发放;\n目标2:对合作社区、退休人员及遗孀、困难群众进行一定程度的补助;\n"
                    "目标3:确保本室日常办公所需经费正常运行;\n目标4:保障志鉴地情相关工作开展所需资金,确保完成2019年度任务。", "F12")
    _put(ws, "A13", "绩效指标", "A20")
    for col, head in zip("BCDEF", ("一级指标", "二级指标", "三级指标", "指标解释", "目标值"), strict=True):
        _put(ws, f"{col}13", head)
    _put(ws, "B14", "产出指标", "B20")
    _put(ws, "C14", "数量指标", "C16")
    _put(ws, "C17", "质量指标", "C18")
    _put(ws, "C19", "时效指标")
    _put(ws, "C20", "成本指标")
    rows = [("志鉴地情相关工作开展所需资金的供应时效", "100%(历史标准)", "100%"),
            ("确保日常工作正常运行", "100%", "100%"),
            ("按年度发放绩效奖、文明奖、综治平安奖、应休未休补贴", "60%", "≥60%"),
            ("调研、督促、指导志、鉴、地情编纂的县(市、区)的覆盖率", "90%(计划标准)", "1"),
            ("各类书籍审稿率", "100%(计划标准)", "1"),
            ("项目完成时间", "2019年12月(计划标准)", "100%"),
            ("基本支出", None, None)]
    for row, (name, explanation, target) in enumerate(rows, start=14):
        _put(ws, f"D{row}", name)
        if explanation:
            _put(ws, f"E{row}", explanation)
            _put(ws, f"F{row}", target)


def hubei_dept_goal(ws: Worksheet) -> None:
    """09_hubei_dept_goal_zhengfuban.yml (部门总体资金情况 with 收入构成 / 支出构成; amounts as the note reads
    them: 968.1918 = 724.2318 + 243.96), laid out like the national 部门整体支出绩效目标申报表 template: a
    年度主要任务 block (任务名称 | 主要内容 | 预算金额) and section points in the merged 一级指标 cells."""
    ws.title = "整体目标申报"
    _put(ws, "A1", "部门整体支出绩效目标申报表", "G1")
    _put(ws, "A2", "（2021年度）", "E2")
    _put(ws, "F2", "单位：万元", "G2")
    _put(ws, "A3", "部门(单位) 名称")
    _put(ws, "B3", "广水市人民政府办公室", "G3")
    _put(ws, "A4", "部门总体资金情况", "A10")
    for col, head in zip("BCDE", ("构成", "项目", "当年 金额", "占比"), strict=True):
        _put(ws, f"{col}4", head, "G4" if col == "E" else None)
    money = [(5, "收入构成", "财政拨款", 968.1918, None), (6, None, "其他资金", None, None),
             (7, None, "合计", 968.1918, "100%"), (8, "支出构成", "基本支出", 724.2318, "74.8%"),
             (9, None, "项目支出", 243.96, "25.2%"), (10, None, "合计", 968.1918, "100%")]
    for row, group, label, amount, share in money:
        if group:
            _put(ws, f"B{row}", group, f"B{row + 2}")
        _put(ws, f"C{row}", label)
        if amount is not None:
            _put(ws, f"D{row}", amount)
        if share:
            _put(ws, f"E{row}", share, f"G{row}")
    _put(ws, "A11", "部门职能概述")
    _put(ws, "B11", "(一)负责全市人民防空工作。 (二)围绕市政府的重点工作和市政府领导同志的指示,组织专题调查研究,及时 反映情况,提出建议。",
         "G11")
    _put(ws, "A12", "年度主要任务", "A15")
    _put(ws, "B12", "任务名称", "C12")
    _put(ws, "D12", "主要内容", "F12")
    _put(ws, "G12", "预算金额")
    tasks = [("人民防空工作", "组织全市人民防空宣传教育和防空警报试鸣", 60),
             ("政务服务保障", "市政府会议、值班和重大活动的组织协调", 183.96)]
    for row, (task, content, amount) in enumerate(tasks, start=13):
        _put(ws, f"B{row}", task, f"C{row}")
        _put(ws, f"D{row}", content, f"F{row}")
        _put(ws, f"G{row}", amount)
    _put(ws, "B15", "合计", "F15")
    _put(ws, "G15", 243.96)
    _put(ws, "A16", "年度总体目标")
    _put(ws, "B16", "保障市政府机关正常运转，按时完成人民防空和政务服务各项任务。", "G16")
    _put(ws, "A17", "年度绩效指标", "A20")
    for col, head in zip("BCDE", ("一级指标", "二级指标", "三级指标", "指标值"), strict=True):
        _put(ws, f"{col}17", head, "G17" if col == "E" else None)
    _put(ws, "B18", "产出指标（50分）", "B19")
    for row, level2, name, target in ((18, "数量指标", "防空警报试鸣次数", "≥1次"), (19, "时效指标", "会议通知及时率", "100%"),
                                      (20, "社会公众或服务对象满意度指标", "市民满意度", "≥90%")):
        _put(ws, f"C{row}", level2)
        _put(ws, f"D{row}", name)
        _put(ws, f"E{row}", target, f"G{row}")
    _put(ws, "B20", "满意度指标（10分）")
