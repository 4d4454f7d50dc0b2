"""Every message an editor, reviewer or builder reads, in Simplified Chinese, keyed by problem code.

Each entry says what is wrong and what would be right. Placeholders are filled from Problem.params.
"""

CATALOGUE: dict[str, str] = {
    # Reading files
    "file_too_large": "文件过大（{size}），超过上限 {limit}。请把记录拆分到多个较小的文件后再提交。",
    "file_empty": "文件为空。请填写记录内容，或删除该文件。",
    "file_unreadable": "无法读取文件：{detail}。",
    "yaml_syntax": "YAML 格式错误：{detail}。请检查缩进、冒号后的空格以及引号是否成对。",
    "yaml_duplicate_key": "键“{key}”重复出现（第一次在第 {first} 行）。同一字段只能写一次，请删除或合并其中一处。",
    "yaml_not_mapping": "文件内容应为“字段: 值”形式的一条记录，实际为{actual}。",
    "yaml_bad_value": "值的写法不对：应为{expected}，实际为{actual}。",
    "encoding_unknown": "无法识别文件编码。请用 UTF-8 编码另存后重新提交（Excel：另存为“CSV UTF-8（逗号分隔）”）。",
    "encoding_converted": "文件编码为 {encoding}，已按该编码正确读取。建议用 UTF-8 编码另存（Excel：另存为“CSV UTF-8（逗号分隔）”）。",
    "csv_no_header": "CSV 文件缺少表头行。第一行应为字段名或表上的中文栏目名。",
    "csv_duplicate_column": "表头中栏目“{name}”出现了两次。",
    "csv_row_length": "本行有 {actual} 列，表头有 {expected} 列。请检查是否多了或少了逗号（含逗号的内容须用英文双引号括起）。",
    "csv_companion_orphan": "指标行所属的记录编号“{value}”在对应的记录表 {table} 中不存在。",
    "location": "文件位置不对：记录应放在 content/<部门代码>/<年度>/<类别目录>/ 下，类别目录可为：{folders}。",
    "path_mismatch": "值“{value}”与文件所在目录不一致（目录表示应为“{expected}”）。请把文件移到正确目录，或改正该值。",
    "unknown_extension": "不支持的文件类型“{ext}”。记录文件应为 .yml、.yaml 或 .csv。",
    # Fields and values
    "unknown_field": "未知字段“{name}”。{hint}本类记录可用的字段：{allowed}。",
    "required": "必填字段缺失或为空。",
    "type_number": "值“{value}”不是有效的数字。应填写数字，如 1250 或 1,250.50（金额可带“元”或“万元”）。",
    "type_integer": "值“{value}”不是整数。应填写不带小数的数字，如 2026。",
    "type_date": "值“{value}”不是有效日期。应写成 YYYY-MM-DD（如 2026-03-05），且该日期在日历上存在。",
    "type_boolean": "值“{value}”不是是/否。应填写 true 或 false（也可写“是”或“否”）。",
    "type_other": "值“{value}”的类型不对，应为{expected}。",
    "enum": "值“{value}”不在可选范围内。可选值：{allowed}。",
    "pattern_id": "记录编号“{value}”不能用作网址路径：只能含英文字母、数字、连字符（-）和下划线（_），须以字母或数字开头，不能含空格、斜杠、点或“..”，最长 80 个字符。例如：jyt-2026-goal-001。",
    "pattern": "值“{value}”的格式不对：{expected}。",
    "minimum": "值 {value} 小于允许的最小值 {limit}。",
    "maximum": "值 {value} 大于允许的最大值 {limit}。",
    "max_length": "内容过长（{length} 个字符），最多 {limit} 个字符。",
    "min_length": "内容过短，至少 {limit} 个字符。",
    "list_expected": "应为列表（YAML 中每项一行，以“- ”开头），实际为{actual}。",
    # Rules a table schema cannot say
    "duplicate_id": "记录编号“{value}”重复：{other} 已使用该编号。记录编号须全站唯一且长期不变。",
    "unknown_dept": "部门代码“{value}”未在 content/departments.yml 中登记。已登记的部门代码：{known}。",
    "sum_mismatch": "金额不相符：{total_title} 为 {total}，而 {parts} 之和为 {sum}。应满足 {total_title} = {parts}之和。",
    "ratio_mismatch": "执行率 {value}% 与 {numerator_title}（{numerator}）÷ {denominator_title}（{denominator}）= {computed}% 不符。请按公式重新计算，保留一位小数。",
    "ratio_no_denominator": "{denominator_title}为 0 或未填写，无法计算执行率；请填写{denominator_title}，或删除执行率。",
    "grade_mismatch": "评价等级“{value}”与得分 {score} 不符：按评分标准应为“{expected}”（优 ≥ 90，良 80 至不足 90，中 60 至不足 80，差 < 60）。",
    "required_when": "{condition}时此字段必填。",
    "row_required_when": "第 {row} 行指标“{name}”：{condition}时，须填写此字段。",
    "confidential_basis_missing": "整条记录不予公开（confidential: true）时，必须填写不予公开依据 confidential_basis，可选：{allowed}。",
    "date_order": "{later_title}（{later}）早于{earlier_title}（{earlier}），日期先后顺序不对。",
    "withheld_unknown": "不予公开字段中的“{value}”不是本类记录的字段。可填写的字段：{allowed}。",
    "withheld_identity": "“{value}”是记录的标识字段，不能单独不予公开；如整条记录需要保密，请设置 confidential: true 并填写 confidential_basis。",
    "target_not_number": "第 {row} 行指标“{name}”：定量指标（指标性质为“{operator}”）的指标值应为数字，实际为“{value}”。定性指标请把指标性质写为“定性”。",
    "indicators_not_allowed": "{kind_title}没有绩效指标表，不应填写 indicators。",
    "indicators_required": "{kind_title}应至少有一行绩效指标（indicators）。",
    "row_field_not_allowed": "第 {row} 行：字段“{name}”不属于{kind_title}的指标表。{hint}可用的字段：{allowed}。",
    "row_not_mapping": "第 {row} 行指标应为“字段: 值”的形式。",
    "row_error": "第 {row} 行指标：{detail}",
    "project_link_dept": "项目代码“{value}”在 {other} 中属于部门“{other_dept}”，与本记录的部门“{dept}”不一致。同一项目的目标、监控和评价应属于同一部门。",
    # Configuration
    "config_missing_file": "缺少站点配置文件 site_config.yml。可从示例复制一份后修改。",
    "config_unknown_key": "未知配置项“{key}”。{hint}可用的配置项：{allowed}。",
    "config_missing": "缺少必填配置项“{key}”（{title}）。",
    "config_type": "配置项“{key}”应为{expected}，实际为“{value}”。",
    "config_choice": "配置项“{key}”的值“{value}”无效，可选：{allowed}。",
    "no_content": "未找到 content/ 目录。请在站点目录（含 content/ 和 site_config.yml）中运行，或用 --root 指定站点目录。",
    "departments_missing": "缺少部门登记表 content/departments.yml。",
    # Build and guard
    "leak_found": "泄密检查未通过：输出文件 {output} 含有不予公开的内容（来源：{source} 的{what}）。本次构建未发布，已保留原站点。",
    "build_failed": "构建失败：{detail}。本次构建未发布，已保留原站点。",
    "tool_missing": "缺少构建工具 {tool}：{detail}。",
    # -- publication log and deadlines --
    "log_bad_json": "公开日志本行不是有效的 JSON：{detail}。公开日志只能由 disclose publish 追加，请勿手工编辑；如被误改，请从版本库历史恢复 publication-log.jsonl。",
    "log_blank_line": "公开日志中间出现空行。公开日志每行一条事件，只能由 disclose publish 追加；请从版本库历史恢复 publication-log.jsonl。",
    "log_missing_key": "公开日志本行缺少“{key}”。每条事件须有 seq、time、event、id、kind、dept、year、prev，公开和更新事件还须有 title 和 sha256。请从版本库历史恢复 publication-log.jsonl。",
    "log_bad_value": "公开日志本行“{key}”的值 {value} 不对，应为{expected}。请从版本库历史恢复 publication-log.jsonl。",
    "log_unknown_key": "公开日志本行含有未知的键“{key}”。可用的键：{allowed}。请从版本库历史恢复 publication-log.jsonl。",
    "log_withdrawn_content": "撤回（withdrawn）事件只能含记录编号、类别、部门和年度，不能含标题或内容哈希。请从版本库历史恢复 publication-log.jsonl。",
    "log_seq": "序号为 {actual}，应为 {expected}（序号等于行号）。{hint}请从版本库历史恢复 publication-log.jsonl。",
    "log_chain_start": "第 1 行的上一行哈希应为 64 个 0，实际为 {actual}：日志开头的事件被删除，或本行被改动。请从版本库历史恢复 publication-log.jsonl。",
    "log_chain": "本行写入后被改动：本行现在的哈希为 {actual}，而第 {next} 行记录的上一行哈希（prev）为 {expected}（也可能是第 {next} 行的 prev 被改动）。请从版本库历史恢复 publication-log.jsonl。",
    "log_time_order": "时间 {time} 早于第 {prev_line} 行的 {prev_time}：事件顺序被调换，或时间被改动。请从版本库历史恢复 publication-log.jsonl。",
    "log_unpublished": "记录“{id}”已公开，但公开日志中没有它当前的公开事件。请运行 disclose publish 记录公开时间。",
    "log_hash_mismatch": "记录“{id}”的当前内容与它在公开日志中的最新事件（{event}）所记哈希不符：内容改动后尚未运行 disclose publish，或日志被改动。",
    "log_field_mismatch": "公开日志记下的值“{logged}”与记录“{id}”当前的值“{actual}”不符：日志被改动，请从版本库历史恢复 publication-log.jsonl。",
    "log_not_withdrawn": "记录“{id}”在公开日志中的最新事件为“{event}”，但它已不在公开记录中（已删除或改为不予公开），日志缺少撤回（withdrawn）事件。请运行 disclose publish。",
    "log_clock": "当前时间 {now} 早于公开日志最后一条事件的时间 {last}，时间不能倒退。请检查本机时钟后重试；公开日志未改动。",
    "log_build_missing": "站点构建功能不可用（{detail}），本次未发布；公开日志未改动。",
    "log_build_failed": "站点构建失败，本次未发布；本次新增的 {count} 条公开日志事件已撤销，公开日志恢复原状。",
    # -- review --
    # -- editor tools (import, new, serve) --
    # -- compliance --
    # -- attachments --
    # -- synthetic corpus --
}

# Codes that do not stop a build; everything else is an error.
SEVERITY: dict[str, str] = {
    "encoding_converted": "warning",
}
