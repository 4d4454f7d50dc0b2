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


def hunan_project_goal(ws: Worksheet) -> None:
    """01_hunan_project_goal_wupaoche.yml (complete): a period target, 绩效标准 column, rows the form prints
    empty, and a 满意度 row with no 一级指标 printed; funds as label/value lines the importer cannot place."""
    ws.title = "目标申报"
    _put(ws, "A1", "2023年项目支出绩效目标申报表", "F1")
    _put(ws, "A2", "填报单位")
    _put(ws, "B2", "(盖章)", "D2")
    _put(ws, "E2", "单位：万元", "F2")
    _put(ws, "A3", "项目支出名称")
    _put(ws, "B3", "雾炮车降尘抑尘服务", "F3")
    _put(ws, "A4", "预算部门")
    _put(ws, "B4", "湘潭市环境卫生管理处", "F4")
    _put(ws, "A5", "年度本级 预算金额")
    _put(ws, "B5", "250万", "C5")
    _put(ws, "D5", "该项目支出上级资金")
    _put(ws, "E5", 0, "F5")
    _put(ws, "A6", "项目支出实施期")
    _put(ws, "B6", "2023.07-2024.01", "F6")
    _put(ws, "A7", "实施期绩效目标")
    _put(ws, "B7", "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良", "F7")
    _put(ws, "A8", "本年度绩效目标")
    _put(ws, "B8", "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良", "F8")
    _put(ws, "A9", "本年度绩效指标", "A19")
    for col, head in zip("BCDEF", ("一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准"), strict=True):
        _put(ws, f"{col}9", head)
    _put(ws, "B10", "产出指标", "B14")
    _put(ws, "C10", "数量指标", "C11")
    _put(ws, "B15", "效益指标", "B18")
    rows = [(10, None, "雾炮车降尘抑尘服务配备车辆数", "10辆"), (11, None, "雾炮车风炮射程", "≥80M"),
            (12, "质量指标", "服务周期内空气质量", "优良"), (13, "时效指标", "服务周期", "2023.07-2024.01"),
            (14, "成本指标", "控制在预算成本内", "250万"), (15, "经济效益指标", None, None),
            (16, "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "≥85%"), (17, "生态效益指标", None, None),
            (18, "可持续影响指标", None, None), (19, "社会公众或服务对象满意度指标", "市民满意度", "≥90%")]
    for row, level2, name, target in rows:
        if level2:
            _put(ws, f"C{row}", level2)
        if name:
            _put(ws, f"D{row}", name)
            _put(ws, f"E{row}", target)
            _put(ws, f"F{row}", "计划标准")
    _put(ws, "A20", "财政部门审核意见")
    _put(ws, "A21", "填表人：[已删除]", "C21")
    _put(ws, "D21", "填报日期：", "F21")


def hubei_monitoring_half_year(ws: Worksheet) -> None:
    """04_hubei_monitoring_shenyi.yml (1-6月): 项目执行单位, tick-box rows, 年初预算数 | 1-6月执行数 | 全年预计
    执行数, 完成目标可能性 and 半年度 指标执行情况. The printed indicator table puts 二级 names under an 一级 heading
    and no names at all; here it is laid out the usual way with the printed values and a name per row."""
    ws.title = "监控表"
    _put(ws, "A1", "黄石市项目支出绩效监控表 (申遗)", "G1")
    _put(ws, "A2", "(2019年度)", "E2")
    _put(ws, "F2", "单位：万元", "G2")
    _put(ws, "A3", "项目名称")
    _put(ws, "B3", "申遗经费", "G3")
    _put(ws, "A4", "主管部门")
    _put(ws, "B4", "黄石市文化和旅游局", "C4")
    _put(ws, "D4", "项目执行单位")
    _put(ws, "E4", "黄石市文物局(湖北水泥遗址博物馆)", "G4")
    _put(ws, "A5", "项目属性")
    _put(ws, "B5", "1、持续性项目 □ 2、新增性项目 □", "G5")
    _put(ws, "A6", "项目类型")
    _put(ws, "B6", "1、常年性项目 □ √ 2、延续性项目 □ 3、一次性项目 □", "G6")
    _put(ws, "A7", "项目资金 (万元)", "A9")
    for col, head in zip("CDE", ("年初预算数", "1-6月执行数", "全年预计执行数"), strict=True):
        _put(ws, f"{col}7", head, "G7" if col == "E" else None)
    _put(ws, "B8", "年度资金总额:")
    _put(ws, "C8", 220)
    _put(ws, "D8", 87.57)
    _put(ws, "B9", "其中:当年一般公共预算拨款")
    _put(ws, "C9", 220)
    _put(ws, "D9", 87.57)
    _put(ws, "A10", "绩效指标", "A12")
    for col, head in zip("BCDEFG", ("一级指标", "二级指标", "三级指标", "指标值", "半年度 指标执行情况",
                                    "完成目标可能性(确定能、有可能、不可能)"), strict=True):
        _put(ws, f"{col}10", head)
    _put(ws, "B11", "产 出 指 标")
    for col, value in zip("CDEFG", ("成本", "年度预算执行", "年度预算220万元", "按进度执行,已使用约40%", "确定能"), strict=True):
        _put(ws, f"{col}11", value)
    _put(ws, "B12", "效 益 指 标")
    for col, value in zip("CDFG", ("社会效益", "申遗宣传活动", "开展黄石矿冶工业遗产突出普遍价值研究、学术交流、对外宣传等工作,"
                                   "先后举办有社会影响力的活动5场。", "确定能"), strict=True):
        _put(ws, f"{col}12", value)
    _put(ws, "A13", "偏差或不能完成目标原因分析")
    _put(ws, "B13", None, "G13")
    _put(ws, "A14", "相关建议或举措")
    _put(ws, "B14", None, "G14")


def yunnan_self_evaluation(ws: Worksheet) -> None:
    """06_yunnan_project_self_eval_weipian.yml (in simplified characters, as the original surely is): the
    national layout with 项目资金 (万元) in the matrix corner, blank 上年结转/其他资金 rows, and a two-row
    indicator header NOT merged down (年度指标值 over 指标性质 | 指标值 | 度量单位, the level headings blank below)."""
    ws.title = "自评"
    _put(ws, "A1", "2020年度项目支出绩效自评表", "J1")
    _put(ws, "A2", "项目名称")
    _put(ws, "B2", "2020年省级自然资源卫片执法补助经费支出绩效自评表", "J2")
    _put(ws, "A3", "主管部门")
    _put(ws, "B3", "丽江市自然资源和规划局", "E3")
    _put(ws, "F3", "实施单位")
    _put(ws, "G3", "丽江市古城区自然资源局", "J3")
    for col, head in zip("ABCDEFG", ("项目资金 (万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
                         strict=True):
        _put(ws, f"{col}4", head)
    money = [("年度资金总额", 7.29, 7.29, 7.29, "10.00", "100%", "10.00"),
             ("其中:当年财政拨款", 7.29, 7.29, 7.29, None, "100%", None),
             ("上年结转资金",), ("其他资金",)]
    for row, (label, *values) in enumerate(money, start=5):
        _put(ws, f"A{row}", label)
        for col, value in zip("BCDEFG", values, strict=False):
            if value is not None:
                _put(ws, f"{col}{row}", value)
    _put(ws, "A9", "年度总体目标")
    _put(ws, "B9", "预期目标", "E9")
    _put(ws, "F9", "实际完成情况", "J9")
    _put(ws, "B10", "自然资源卫片执法补助经费", "E10")
    _put(ws, "F10", "自然资源卫片执法补助经费", "J10")
    _yunnan_levels(ws)


_YUNNAN_ROWS = [("产出指标", "数量指标", "卫片执法补助经费", "﹦", 72890, "元", 72890, "10.00", "9.00"),
                ("产出指标", "质量指标", "项目验收合格率", "﹦", 100, "%", 100, "20", "19"),
                ("产出指标", "时效指标", "项目完成及时率", "﹦", 100, "%", 100, "20.00", "19.00"),
                ("效益指标", "社会效益指标", "违法行为责停率", "≥", 95, "%", 95, "30.00", "27.00"),
                ("满意度指标", "服务对象满意度指标", "满意度", "≥", 95, "%", 95, "10.00", None)]


def yunnan_self_evaluation_single_column(ws: Worksheet) -> None:
    """The same form with the other indicator layout: one 指标名称 column, no level columns."""
    yunnan_self_evaluation(ws)
    for row in ws.iter_rows(min_row=11, max_row=17):
        for cell in row:
            if cell.__class__.__name__ == "Cell":
                cell.value = None
    ws.unmerge_cells("D11:F11")
    for col, head in zip("ABCDEFG", ("指标名称", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分"), strict=True):
        _put(ws, f"{col}11", head)
    for row, values in enumerate(_YUNNAN_ROWS, start=12):
        for col, value in zip("ABCDEFG", values[2:], strict=True):
            if value is not None:
                _put(ws, f"{col}{row}", value)


def _yunnan_levels(ws: Worksheet) -> None:
    for col, head in zip("ABCD", ("一级指标", "二级指标", "三级指标", "年度指标值"), strict=True):
        _put(ws, f"{col}11", head, "F11" if col == "D" else None)
    for col, head in zip("GHIJ", ("实际完成值", "分值", "得分", "偏差原因分析及改进措施"), strict=True):
        _put(ws, f"{col}11", head)
    for col, head in zip("DEF", ("指标性质", "指标值", "度量单位"), strict=True):
        _put(ws, f"{col}12", head)
    for row, values in enumerate(_YUNNAN_ROWS, start=13):
        for col, value in zip("ABCDEFGHI", values, strict=True):
            if value is not None:
                _put(ws, f"{col}{row}", value)


def fujian_dept_self_evaluation(ws: Worksheet) -> None:
    """08_fujian_dept_self_eval_dangshi.yml: a 9-column funding matrix with circled-number formula headings and
    subtotal rows, 预期目标 / 目标实际完成情况, and 一级指标 printed with its section points (产出 指标 (60分))."""
    ws.title = "整体自评"
    _put(ws, "A1", "部门整体支出绩效自评表", "J1")
    _put(ws, "A2", "(2018年度)", "J2")
    _put(ws, "A3", "部门(单位)名称")
    _put(ws, "B3", "中共宁德市委党史和地方志研究室", "E3")
    _put(ws, "F3", "部门预算编码")
    _put(ws, "G3", "901001033", "J3")
    _put(ws, "A4", "财政资金安排和使用情况", "A11")
    heads = ("资金结构 (万元)", "年初部门预算安排金额", "历年结余结转", "年中调整金额③", "小计 ④ = ①+② +③", "年度拨付金额",
             "支出实现率(%) ⑥=⑤/④", "本年度结余金额 ⑦=④-⑤", "资金结余率 (%) ⑧=⑦/④")
    for col, head in zip("BCDEFGHIJ", heads, strict=True):
        _put(ws, f"{col}4", head)
    full = ("2537695", "213722.82", "0", "2751417.82", "2546673.98", "93%", "204743.84", "7%")
    for row, label in enumerate(("财政资金小计", "①中央及省级财政资金", "②市级财政资金", "③县(市、区)财政资金", "其他资金小计",
                                 "①……", "合 计"), start=5):
        _put(ws, f"B{row}", label)
        if label in ("财政资金小计", "②市级财政资金", "合 计"):
            for col, value in zip("CDEFGHIJ", full, strict=True):
                _put(ws, f"{col}{row}", value)
    _put(ws, "A12", "年度总体目标完成情况", "A13")
    _put(ws, "B12", "预期目标", "E12")
    _put(ws, "F12", "目标实际完成情况", "J12")
    _put(ws, "B13", "目标1:确保本委在职及退休人员工资、福利的发放;\n目标2:确保本委日常办公所需经费正常运行;\n"
                    "目标3:保障志鉴地情相关工作开展所需资金,确保完成2018年度任务。", "E13")
    _put(ws, "F13", "目标1完成情况:基本完成,达成率为90%以上\n目标2完成情况:基本完成,达成率为90%以上\n"
                    "目标3完成情况:基本完成,达成率为97%", "J13")
    _put(ws, "A14", "年度绩效指标完成情况", "A15")
    for col, head in zip("BCDEFGHI", ("一级 指标", "二级 指标", "三级指标", "指标解释", "绩效目标值", "实际完成值", "指标分值", "得分"),
                         strict=True):
        _put(ws, f"{col}14", head, "J14" if col == "I" else None)
    _put(ws, "B15", "产出 指标 (60分)")
    _put(ws, "C15", "数量 指标")
    _put(ws, "D15", "指标1  按月发放员工工")


def national_dept_goal(ws: Worksheet) -> None:
    """The national 部门整体支出绩效目标申报表 template (年度主要任务 任务名称 | 主要内容; 年度部门整体支出预算 as a row
    of headings over a row of amounts), filled with the department and amounts of 09_hubei_dept_goal_zhengfuban.yml."""
    ws.title = "申报表"
    _put(ws, "A1", "部门整体支出绩效目标申报表", "E1")
    _put(ws, "A2", "（2021年度）", "E2")
    _put(ws, "A3", "部门（单位）名称")
    _put(ws, "B3", "广水市人民政府办公室", "E3")
    _put(ws, "A4", "年度主要任务", "A6")
    _put(ws, "B4", "任务名称")
    _put(ws, "C4", "主要内容", "E4")
    for row, task, content in ((5, "人民防空工作", "组织全市人民防空宣传教育和防空警报试鸣"),
                               (6, "政务服务保障", "市政府会议、值班和重大活动的组织协调")):
        _put(ws, f"B{row}", task)
        _put(ws, f"C{row}", content, f"E{row}")
    _put(ws, "A7", "年度部门整体支出预算（万元）", "A8")
    for col, head, value in (("B", "资金总额", 968.1918), ("C", "财政拨款", 968.1918), ("D", "其他资金", None)):
        _put(ws, f"{col}7", head)
        if value is not None:
            _put(ws, f"{col}8", value)
    _put(ws, "A9", "年度总体目标")
    _put(ws, "B9", "保障市政府机关正常运转，按时完成人民防空和政务服务各项任务。", "E9")
    _put(ws, "A10", "年度绩效指标", "A12")
    for col, head in zip("BCDE", ("一级指标", "二级指标", "三级指标", "指标值（包含数字及文字描述）"), strict=True):
        _put(ws, f"{col}10", head)
    _put(ws, "B11", "产出指标", "B12")
    _put(ws, "C11", "数量指标", "C12")
    for row, name, target in ((11, "防空警报试鸣次数", "≥1次"), (12, "政府常务会议组织", "按计划召开")):
        _put(ws, f"D{row}", name)
        _put(ws, f"E{row}", target)
