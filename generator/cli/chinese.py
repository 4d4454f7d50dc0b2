"""The command line in Simplified Chinese, click's own words included.

click marks its strings (Usage, Options, Commands, "Show this message and exit.", [default: …],
[required], its error messages) with gettext, imported into each of its modules as `_` and
`ngettext`. `install()` points those names at this catalogue, so help and errors read in Chinese
whatever the user's locale, and anything not listed falls back to click's English.

`localise(group)` then names what click would print in capitals (TEXT, INTEGER, DIRECTORY, KIND,
[OPTIONS], COMMAND [ARGS]...) in Chinese and gives each command its whole first help paragraph as its
summary, which click would otherwise cut with "...".
"""

from __future__ import annotations

import gettext
import importlib
import inspect
import shutil
import unicodedata
from collections.abc import Iterable, Sequence

import click

CATALOGUE: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "deprecated": "已弃用",
    "(dynamic)": "（动态）",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Aborted!": "已中止。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 超出允许范围（{range}）。",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} 不是有效的是/否值。可写：{states}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，应为目录。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录，应为文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 无法执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "unknown error": "未知错误",
    "Value must be an iterable.": "值必须是列表。",
    "Error: invalid input": "错误：输入无效",
    "Do you want to continue?": "是否继续？",
    "Press any key to continue...": "按任意键继续……",
}
# ngettext: (singular, plural) → the Chinese of each.
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("多余的参数：{args}", "多余的参数：{args}"),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("是否想写 {possibility}？", "（是否想写其中之一：{possibilities}？）"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("选项 {name!r} 需要一个值。", "选项 {name!r} 需要 {nargs} 个值。"),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} 不是可选值 {choice}。", "{value!r} 不在可选范围内，可选：{choices}。"),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("需要 {nargs} 个值，实际给了 1 个。", "需要 {nargs} 个值，实际给了 {len} 个。"),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("需要 {len_type} 个值，实际给了 {len_value} 个。", "需要 {len_type} 个值，实际给了 {len_value} 个。"),
}
# What click prints in capitals for a parameter's type.
TYPE_NAMES = {"text": "文字", "integer": "整数", "integer range": "整数", "float": "数字", "float range": "数字",
              "boolean": "是或否", "directory": "目录", "file": "文件", "path": "路径", "filename": "文件",
              "datetime": "日期时间", "uuid": "编号"}
# Words click puts into its messages as values ("Missing {param_type}", "not a valid {number_type}").
WORDS = {**TYPE_NAMES, "argument": "参数", "option": "选项", "parameter": "参数", "File": "文件", "Directory": "目录",
         "Path": "路径"}
# Argument names, as click would print them (KIND, FILE…), in Chinese.
ARGUMENTS = {"kind_name": "类别", "file": "文件", "out": "输出目录", "paths": "路径", "site": "网站目录"}
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


class _Chinese(str):
    """A translated message whose .format() also puts click's English words (integer, option, File…)
    into Chinese."""

    def format(self, *args, **kwargs) -> str:
        return str.format(self, *args, **{k: WORDS.get(v, v) if isinstance(v, str) else v
                                           for k, v in kwargs.items()})


def translate(message: str) -> str:
    text = CATALOGUE.get(message)
    return message if text is None else _Chinese(text)


def translate_plural(singular: str, plural: str, n: int) -> str:
    forms = PLURALS.get((singular, plural))
    if forms is None:
        return gettext.ngettext(singular, plural, n)
    return _Chinese(forms[0] if n == 1 else forms[1])


# ---- help layout: Chinese has no spaces to break at, and its characters are two columns wide --------

def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


NO_LINE_START = set("，。；：、）》」』”’？！…,.;:)")
OPENING = set("（《「『“‘(")


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def join_lines(text: str) -> str:
    """A paragraph written over several source lines as one line: no space where a line break falls
    next to a Chinese character, one space between two Latin words."""
    out = ""
    for line in (part.strip() for part in text.split("\n")):
        # A space between Latin words, and between Chinese and Latin (as the source had at the break).
        if out and line and not (_wide(out[-1]) and _wide(line[0])) and out[-1] not in OPENING \
                and line[0] not in NO_LINE_START:
            out += " "
        out += line
    return out


def _tokens(text: str) -> Iterable[str]:
    """Pieces a line may break between: each wide character, each run of narrow ones, each space."""
    word = ""
    for ch in text:
        if ch == " " or unicodedata.east_asian_width(ch) in "WF":
            if word:
                yield word
                word = ""
            yield ch
        else:
            word += ch
    if word:
        yield word


def wrap(text: str, limit: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(" ".join(paragraph.split())):
            if line and width(line) + width(token) > limit and token != " " and token[0] not in NO_LINE_START:
                lines.append(line.rstrip())
                line = ""
            if not (token == " " and not line):
                line += token
        lines.append(line.rstrip())
    return lines


class ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        self.write(f"{'':>{self.current_indent}}用法：{prog} {args}".rstrip() + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        limit = max(self.width - self.current_indent, 20)
        for paragraph in text.split("\n\n"):
            keep = paragraph.startswith("\b")
            lines = paragraph[1:].strip("\n").split("\n") if keep else wrap(join_lines(paragraph), limit)
            self.write("".join(f"{indent}{line}\n" for line in lines))
            self.write("\n")
        self.buffer.pop()  # no blank line after the last paragraph

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((width(a) for a, _ in rows), default=0), col_max)
        limit = max(self.width - self.current_indent - first - col_spacing, 20)
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            lines = wrap(text, limit) if text else []
            if not lines:
                self.write("\n")
                continue
            if width(term) <= first:
                self.write(" " * (first - width(term) + col_spacing))
            else:
                self.write("\n" + " " * (first + col_spacing + self.current_indent))
            pad = " " * (first + col_spacing + self.current_indent)
            self.write(lines[0] + "\n" + "".join(f"{pad}{line}\n" for line in lines[1:]))


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter

    def make_formatter(self) -> click.HelpFormatter:
        # At most 78 columns, Chinese characters counted as two (click counts them as one).
        columns = self.terminal_width or shutil.get_terminal_size().columns
        return ChineseFormatter(width=max(min(columns, self.max_content_width or 80) - 2, 50))


def _describe_range(self) -> str:
    """IntRange(min=1) reads 不小于 1, not x>=1."""
    low = None if self.min is None else ("大于" if self.min_open else "不小于") + f" {self.min}"
    high = None if self.max is None else ("小于" if self.max_open else "不大于") + f" {self.max}"
    return "，".join(p for p in (low, high) if p)


def install() -> None:
    click.types._NumberRangeBase._describe_range = _describe_range
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural


def _metavar(param: click.Parameter) -> str | None:
    if isinstance(param, click.Argument):
        name = ARGUMENTS.get(param.name or "", param.name or "")
        name = name if param.required else f"[{name}]"
        return f"{name}…" if param.nargs == -1 else name
    if isinstance(param, click.Option) and not param.is_flag and not isinstance(param.type, click.Choice):
        return TYPE_NAMES.get(param.type.name, "值")
    return None


def localise(command: click.Command) -> None:
    """Chinese metavars and whole summaries, for `command` and every subcommand."""
    command.options_metavar = "[选项]"
    command.context_class = ChineseContext
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            param.help = translate(param.help)  # --version and --help got theirs before install()
        if param.metavar is None or param.metavar.isupper() or param.metavar == param.name:
            metavar = _metavar(param)
            if metavar is not None:
                param.metavar = metavar
    if command.help and not command.short_help:
        command.short_help = join_lines(inspect.cleandoc(command.help).split("\n\n")[0])
    if isinstance(command, click.Group):
        command.subcommand_metavar = "命令 [参数]…"
        for sub in command.commands.values():
            localise(sub)
