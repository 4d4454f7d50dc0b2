"""Levels in site_config.yml (site.level, site.division_code, site.parent_url), `disclose synth --levels`
and platform.yml: defaults keep a single site valid, bad codes and mismatched levels are named in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from fixtures_site import make_site

from generator.cli import main
from generator.model.config import load_config
from generator.platform.members import load_members
from generator.problems import BuildError


def _with_site(root: Path, **site) -> Path:
    path = root / "site_config.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["site"].update(site)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root


def _messages(exc: pytest.ExceptionInfo) -> str:
    return "\n".join(p.render() for p in exc.value.problems)


def test_defaults_keep_a_single_site_valid(tmp_path):
    config = load_config(make_site(tmp_path))
    assert (config.site.level, config.site.division_code, config.site.parent_url) == ("自治区本级", "150000", None)


@pytest.mark.parametrize("level, code", [("自治区本级", "150000"), ("盟市", "150100"), ("旗县", 150102)])
def test_valid_levels_and_codes(tmp_path, level, code):
    config = load_config(_with_site(make_site(tmp_path), level=level, division_code=code,
                                    parent_url="https://czt.nmg.gov.cn/platform/"))
    assert (config.site.level, config.site.division_code) == (level, str(code))


@pytest.mark.parametrize("level, code, expected", [
    ("旗县", "15010", "不是行政区划代码"), ("旗县", "15O102", "不是行政区划代码"),
    ("盟市", "150102", "与层级“盟市”不符"), ("盟市", "150000", "与层级“盟市”不符"),
    ("自治区本级", "150100", "与层级“自治区本级”不符"), ("旗县", "150100", "与层级“旗县”不符"),
])
def test_bad_codes_are_named(tmp_path, level, code, expected):
    root = _with_site(make_site(tmp_path), level=level, division_code=code)
    with pytest.raises(BuildError) as exc:
        load_config(root)
    text = _messages(exc)
    assert "site_config.yml" in text and "site.division_code" in text and expected in text and code in text


def test_unknown_level_is_named(tmp_path):
    with pytest.raises(BuildError) as exc:
        load_config(_with_site(make_site(tmp_path), level="苏木"))
    assert "site.level" in _messages(exc) and "苏木" in _messages(exc)


def test_platform_yml_problems_name_line_and_key(tmp_path):
    path = tmp_path / "platform.yml"
    path.write_text("members:\n  - name: 甲\n    level: 旗县\n    division_code: \"150102\"\n    url: a/site\n"
                    "  - name: 乙\n    level: 乡镇\n    division_code: \"1501\"\n"
                    "  - name: 丙\n    level: 旗县\n    division_code: \"150102\"\n    url: ftp://x/\n"
                    "  - name: 丁\n    level: 盟市\n    division_code: \"150203\"\n    url: d/site\n",
                    encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        load_members(path)
    text = _messages(exc)
    assert "platform.yml:6" in text and "乡镇" in text and "缺少“url”" in text and "“1501”不是行政区划代码" in text
    assert "platform.yml:9" in text and "150102 重复" in text
    assert "platform.yml:13" in text and "“150203”与层级“盟市”不符" in text


def test_platform_yml_resolves_local_folders_beside_it(tmp_path):
    path = tmp_path / "platform.yml"
    path.write_text("members:\n  - {name: 甲, level: 旗县, division_code: '150102', url: a/site}\n"
                    "  - {name: 乙, level: 盟市, division_code: '150100', url: 'http://127.0.0.1:9/x'}\n",
                    encoding="utf-8")
    a, b = load_members(path)
    assert a.url == str(tmp_path / "a" / "site") and not a.remote
    assert b.url == "http://127.0.0.1:9/x/" and b.remote


def test_synth_levels_writes_one_valid_site_per_level(tmp_path):
    out = tmp_path / "region"
    result = CliRunner().invoke(main, ["synth", "--levels", "--records", "8", "--leagues", "2", "--counties", "3",
                                       str(out)])
    assert result.exit_code == 0, result.output
    members = yaml.safe_load((out / "platform.yml").read_text(encoding="utf-8"))["members"]
    assert [m["level"] for m in members] == ["自治区本级", "盟市", "盟市", "旗县", "旗县", "旗县"]
    codes = [m["division_code"] for m in members]
    assert len(set(codes)) == 6 and codes[0] == "150000"
    ids: set[str] = set()
    for m in members:
        root = out / Path(m["url"]).parent
        config = load_config(root)
        assert (config.site.level, config.site.division_code, config.site.name) == (m["level"],
                                                                                   m["division_code"], m["name"])
        assert (root / "publication-log.jsonl").read_text(encoding="utf-8").count("\n") >= 1
        check = CliRunner().invoke(main, ["validate", "--root", str(root)])
        assert check.exit_code == 0, check.output
        own = {p.stem for p in (root / "content").rglob("*.yml") if p.name != "departments.yml"}
        assert own and not (own & ids)  # every place has its own departments and record ids
        ids |= own
    again = CliRunner().invoke(main, ["synth", "--levels", "--records", "8", str(tmp_path / "again")])
    assert again.exit_code == 0
    for m in members:
        rel = Path(m["url"]).parent / "publication-log.jsonl"
        assert (out / rel).read_bytes() == (tmp_path / "again" / rel).read_bytes()


SECRET_TITLE = "边境防火设施布设金丝雀专项绩效目标"
SECRET = f"""\
id: lcj-2026-goal-secret
title: {SECRET_TITLE}
summary: 整体涉密。
confidential: true
confidential_basis: 可能危及公共安全
variant: 部门整体支出
approved_on: 2026-02-10
"""


def test_manifest_is_published_and_the_leak_guard_scans_it(tmp_path, monkeypatch):
    from generator.build import build
    from generator.site import platform_manifest

    root = _with_site(make_site(tmp_path / "src", {"lcj/2026/goals/lcj-2026-goal-secret.yml": SECRET}),
                      level="旗县", division_code="150102")
    build(root, tmp_path / "out")
    data = (tmp_path / "out" / "platform.json").read_text(encoding="utf-8")
    manifest = json.loads(data)
    assert manifest["site"]["level"] == "旗县" and manifest["site"]["division_code"] == "150102"
    assert [r["id"] for r in manifest["records"]] == ["jyt-2026-goal-xszz", "lcj-2026-mon-thlc"]
    assert SECRET_TITLE not in data and "lcj-2026-goal-secret" not in data
    # A manifest that carried a withheld title would fail the build, like any other output file.
    original = platform_manifest.manifest

    def leaky(m, events, register):
        data = original(m, events, register)
        data["records"][0]["title"] = SECRET_TITLE
        return data

    monkeypatch.setattr(platform_manifest, "manifest", leaky)
    with pytest.raises(BuildError) as exc:
        build(root, tmp_path / "out")
    assert "platform.json" in _messages(exc)
    assert SECRET_TITLE not in (tmp_path / "out" / "platform.json").read_text(encoding="utf-8")


def _member_folder(path: Path, **site) -> Path:
    path.mkdir(parents=True)
    manifest = {"format": "disclose-platform-manifest", "format_version": 1,
                "site": {"name": "甲站", "level": "旗县", "division_code": "150102", "base_url": "https://a.example/",
                         **site},
                "generator": {}, "schema": {}, "deadlines": {}, "log": {"events": 0, "head": "0" * 64},
                "records": [], "compliance": []}
    (path / "platform.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("site, expected", [
    ({"base_url": "javascript:alert(1)"}, "站点地址（base_url）应以 http:// 或 https:// 开头"),
    ({"division_code": "150103"}, "行政区划代码为 150103，平台成员清单中为 150102"),
    (None, "读取"),
])
def test_a_member_that_fails_is_reported_and_the_build_goes_on(tmp_path, site, expected):
    from generator.platform.build import build_platform

    if site is not None:
        _member_folder(tmp_path / "a", **site)
    (tmp_path / "platform.yml").write_text(
        "members:\n  - {name: 甲站, level: 旗县, division_code: '150102', url: a}\n", encoding="utf-8")
    report = build_platform(tmp_path / "platform.yml", tmp_path / "out")
    assert len(report.messages) == 1
    message = report.messages[0]
    assert message.startswith("成员站点“甲站”（150102）未能更新：") and expected in message and "尚无可用副本" in message
    status = (tmp_path / "out" / "status" / "index.html").read_text(encoding="utf-8")
    assert "无可用副本" in status and "javascript:" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "out.state" / "state.json").is_file()
