"""The documentation says what the code does: every setting and every command is documented,
and CI runs the README's own test command."""

from __future__ import annotations

import re
from pathlib import Path

from generator.cli import main
from generator.model.config import documented_keys

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme():
    missing = [key for key in documented_keys() if f"`{key}`" not in README]
    assert not missing, f"site_config.yml keys missing from README: {missing}"


def test_every_readme_setting_exists():
    table = README.split("## `site_config.yml`", 1)[1].split("\n## ", 1)[0]
    written = re.findall(r"^\| `([a-z_.]+)` \|", table, flags=re.M)
    assert written and set(written) <= set(documented_keys())


def _commands(group, prefix="disclose"):
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}"


def test_every_command_is_documented_in_the_readme():
    missing = [c for c in _commands(main) if f"`{c}" not in README]
    assert not missing, f"commands missing from README: {missing}"


def test_ci_runs_the_readme_test_command():
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    setup = next(b for b in blocks if "# 2." in b)
    test_cmd = setup.split("# 2.", 1)[1].splitlines()[1].strip()
    assert "pytest" in test_cmd
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for part in test_cmd.split(" && "):
        assert part.replace("python3 -m pip install", "python3 -m pip install -q") in ci or part in ci, part


def test_example_config_has_every_required_key_documented():
    config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    for key in documented_keys():
        assert key.split(".")[-1] + ":" in config, key


def test_an_internal_error_ends_in_one_chinese_sentence_not_a_traceback(monkeypatch):
    from click.testing import CliRunner

    import generator.build

    def broken(*args, **kwargs):
        raise KeyError("x")

    monkeypatch.setattr(generator.build, "read_site", broken)
    monkeypatch.delenv("DISCLOSE_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["validate", "--root", str(ROOT)])
    assert result.exit_code == 2
    assert result.output.startswith("内部错误：KeyError") and "Traceback" not in result.output
