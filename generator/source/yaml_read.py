"""Reading YAML as written: nodes with their line numbers, every scalar kept as text, repeated keys
and self-referencing anchors refused, and PyYAML's errors said in Chinese."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from generator.problems import Problems

if TYPE_CHECKING:
    from generator.model.catalog import Kind

NULL_TAG = "tag:yaml.org,2002:null"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first: int):
        self.key, self.line, self.first = key, line, first


class SharedNode(Exception):
    """A list or mapping used twice through YAML anchors (&a / *a): it can nest itself or grow
    exponentially, and no record needs it, so it is refused rather than expanded."""

    def __init__(self, line: int):
        self.line = line


def compose(text: str) -> yaml.Node | None:
    node = yaml.compose(text, Loader=_Loader)
    if node is not None:
        _check_aliases(node)
    return node


def _check_aliases(root: yaml.Node) -> None:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            continue
        if id(node) in seen:
            raise SharedNode(node.start_mark.line + 1)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        else:
            for key, value in node.value:
                stack.extend((key, value))


def plain(node: yaml.Node) -> Any:
    """A node as Python data with every scalar kept as written (None for an empty value)."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == NULL_TAG:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [plain(n) for n in node.value]
    return {k: plain(v) for k, (v, _) in mapping(node).items()}


def _key(node: yaml.Node) -> str:
    # A list or mapping used as a key (`? [a, b]: x`) is no field name; say what it looks like.
    return str(node.value) if isinstance(node, yaml.ScalarNode) else describe(node)


def mapping(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, int]]:
    """Keys with their value nodes and 1-based lines; a repeated key is an error, not a silent overwrite."""
    out: dict[str, tuple[yaml.Node, int]] = {}
    for key_node, value_node in node.value:
        key = _key(key_node)
        line = key_node.start_mark.line + 1
        if key in out:
            raise DuplicateKey(key, line, out[key][1])
        out[key] = (value_node, line)
    return out


def yaml_problem(exc: Exception, rel: str, problems: Problems, kind: Kind | None = None) -> None:
    if isinstance(exc, DuplicateKey):
        title = kind.by_name.get(exc.key, {}).get("title", "") if kind else ""
        problems.add("yaml_duplicate_key", rel, line=exc.line, field=exc.key, field_title=title, key=exc.key,
                     first=exc.first)
    elif isinstance(exc, SharedNode):
        problems.add("yaml_syntax", rel, line=exc.line, detail=_YAML_ALIAS)
    else:
        mark = getattr(exc, "problem_mark", None)
        problems.add("yaml_syntax", rel, line=mark.line + 1 if mark else None, detail=_yaml_detail(exc))


def describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "列表"
    if isinstance(node, yaml.MappingNode):
        return "映射"
    return f"单个值“{node.value}”"


# PyYAML's wording (the C and the pure-Python loader differ slightly), matched against problem and context.
_YAML_PROBLEMS = {
    "mapping values are not allowed":
        "此处不能出现“字段: 值”（可能是冒号后缺少空格、值里含有“: ”却没加引号，或本行缩进不对）",
    "could not find expected ':'": "缺少冒号“:”（每行应为“字段: 值”，多行文字请在“|”下统一缩进）",
    "found character '\\t' that cannot start any token": "含有制表符（Tab），YAML 只能用空格缩进",
    "found a tab character": "含有制表符（Tab），YAML 只能用空格缩进",
    "found character that cannot start any token": "值以 @、`、% 等特殊字符开头，请给该值加上引号",
    "found unexpected end of stream": "文件意外结束（可能引号未闭合）",
    "did not find expected ',' or ']'": "方括号列表“[ ]”未闭合，或列表项之间缺少逗号",
    "did not find expected ',' or '}'": "花括号“{ }”未闭合，或项之间缺少逗号",
    "did not find expected '-' indicator": "列表项应以“- ”开头，且与上一项缩进一致",
    "did not find expected key": "缩进不一致，或上一个值的引号、括号后面多了内容",
    "found undefined alias": "使用了未定义的别名（*名称）；请把内容直接写出来",
    "expected a single document in the stream": "文件中只能有一条记录（不要使用 --- 分隔多条）",
}
_YAML_ALIAS = "不支持 YAML 锚点和别名（&名称 / *名称）重复引用列表或映射，请把内容直接写出来"


def _yaml_detail(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    said = f"{problem} {getattr(exc, 'context', None) or ''}"
    for english, chinese in _YAML_PROBLEMS.items():
        if english in said:
            return chinese
    return f"无法解析（{problem}）"


# What reading a broken file raises: catch these and report them with `yaml_problem`.
ERRORS = (DuplicateKey, SharedNode, yaml.YAMLError)
