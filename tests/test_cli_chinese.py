"""A fully Chinese command line (issue 22): click's own words translated, summaries never cut, and no
English word in any help text outside command names, options, their values and file names."""

from __future__ import annotations

import re

import click
from click.testing import CliRunner

from generator.cli import main

# Names, not English prose: formats and products, an environment variable, a date pattern, and the
# literal marker synth writes into files.
PROPER = {"JSON", "YAML", "CSV", "Excel", "GitHub", "Schema", "git", "CPU", "CANARY", "YYYY", "MM", "DD", "today",
          "AWS", "S3", "s3", "OSS", "COS", "OBS"}
CLICK_ENGLISH = ("Usage", "Options", "Commands", "Show this message", "Show the version", "default:", "required",
                 "Error", "Try '")


def _commands(command: click.Command, path: list[str]):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, [*path, name])


def _allowed() -> set[str]:
    """Words one may type: command names, option names, choice values, kind names."""
    words = set(PROPER) | {"disclose"}
    for _, cmd in _commands(main, []):
        words.add(cmd.name or "")
        for param in cmd.params:
            if isinstance(param.type, click.Choice):
                words.update(str(c) for c in param.type.choices)
    words.update({"goal", "evaluation", "notice", "monitoring"})  # record kinds, as typed after `new`/--kind
    return words


def _help(path: list[str]) -> str:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="disclose")
    assert result.exit_code == 0, result.output
    return result.output


def test_every_help_is_chinese() -> None:
    allowed = _allowed()
    for path, _ in _commands(main, []):
        text = _help(path)
        for phrase in CLICK_ENGLISH:
            assert phrase not in text, (path, phrase)
        assert "..." not in text, path  # a cut summary
        bare = re.sub(r"(?<![\w-])--?[a-z][a-z-]*", " ", text)  # option names
        bare = re.sub(r"[\w-]*[./][\w./-]*", " ", bare)  # file names and paths
        bare = re.sub(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", " ", bare)  # environment variables
        bare = re.sub(r"\b[a-z_]+:", " ", bare)  # keys written in a YAML file (members:)
        english = sorted({w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", bare) if w not in allowed})
        assert english == [], (path, english)


def test_summaries_are_whole() -> None:
    text = _help([])
    # The review summary is long; click would have cut it with "...".
    assert "有校验错误时退出码为1，否则为0。" in re.sub(r"\s+", "", text)
    assert text.startswith("用法：disclose [选项] 命令 [参数]…\n")
    assert "\n选项：\n" in text and "\n命令：\n" in text and "显示本帮助并退出。" in text


def test_click_errors_are_chinese(tmp_path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["validate", "--format", "xml"], prog_name="disclose").output
    assert "错误：'--format' 的值无效：'xml' 不在可选范围内，可选：'text', 'json'。" in out
    assert "运行“disclose validate --help”查看帮助。" in out
    out = runner.invoke(main, ["synth", "--records", "x", str(tmp_path)], prog_name="disclose").output
    assert "'x' 不是有效的整数。" in out
    out = runner.invoke(main, ["serve", "--port", "99999"], prog_name="disclose").output
    assert "99999 超出允许范围（不小于 0，不大于 65535）。" in out
    out = runner.invoke(main, ["nonsense"], prog_name="disclose").output
    assert "错误：没有命令 'nonsense'。" in out
    out = runner.invoke(main, ["new"], prog_name="disclose").output
    assert "错误：缺少参数 '类别'" in out


def test_help_lines_fit_a_terminal_counting_chinese_as_two_columns() -> None:
    from generator.cli.chinese import width

    for path, _ in _commands(main, []):
        long = [line for line in _help(path).splitlines() if width(line) > 80 and " " in line.strip()]
        # A line may only run over when it holds one unbreakable word (a long file name).
        assert all(len(line.split()) <= 3 for line in long), (path, long)
