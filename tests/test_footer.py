"""The footer's identifiers (issue 22): the 公安备案 number links to the ministry's record with its badge;
the 党政机关网站标识, where issued, is configured in site_config.yml, checked, and shown with its link."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.model.config import load_config
from generator.problems import BuildError
from tests.fixtures_site import make_site

BADGE = "  party_badge:\n    url: {url}\n    image: {image}\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _with_badge(root: Path, url: str, image: str) -> None:
    config = root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  error_report_url:", BADGE.format(url=url, image=image) + "  error_report_url:", 1),
                      encoding="utf-8")


def test_badge_and_psb_link_in_every_footer(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    (root / "badges").mkdir()
    (root / "badges" / "dzjg.png").write_bytes(PNG)
    _with_badge(root, "https://bszs.conac.cn/sitename?method=show&id=0A1B2C", "badges/dzjg.png")
    build(root, root / "site")
    assert (root / "site" / "assets" / "dzjg.png").read_bytes() == PNG
    for page in ("index.html", "goals/index.html", "records/jyt-2026-goal-xszz/index.html"):
        html = (root / "site" / page).read_text(encoding="utf-8")
        footer = html[html.index('<div class="dc-footer">'):]
        assert 'href="https://bszs.conac.cn/sitename?method=show&amp;id=0A1B2C"' in footer
        assert 'assets/dzjg.png" alt="党政机关网站标识"' in footer
        assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=15010502000123"' in footer
        assert "assets/psb-badge.svg" in footer


def test_no_badge_configured_shows_none(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    build(root, root / "site")
    assert "党政机关网站标识" not in (root / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("url", "image", "expected"), [
    ("https://example.com/badge", "badges/dzjg.png", "site.party_badge.url"),
    ("https://bszs.conac.cn/sitename?id=1", "badges/missing.png", "site.party_badge.image"),
    ("https://bszs.conac.cn/sitename?id=1", "../outside.png", "site.party_badge.image"),
    ("https://bszs.conac.cn/sitename?id=1", "content/departments.yml", "site.party_badge.image"),
])
def test_bad_badge_config_is_a_located_chinese_problem(tmp_path: Path, url: str, image: str, expected: str) -> None:
    root = make_site(tmp_path / "site")
    (root / "badges").mkdir()
    (root / "badges" / "dzjg.png").write_bytes(PNG)
    (tmp_path / "outside.png").write_bytes(PNG)
    _with_badge(root, url, image)
    with pytest.raises(BuildError) as exc:
        load_config(root)
    [problem] = exc.value.problems
    assert problem.file == "site_config.yml" and problem.params["key"] == expected
    assert "党政机关网站标识" in problem.render() or "图片" in problem.render()


@pytest.mark.parametrize(("key", "line"), [
    ("site.name", "  name: 专栏<script>alert(1)</script>"),
    ("site.description", "  description: 说明<img src=x onerror=alert(2)>"),
    ("site.organisation", "  organisation: 内蒙古<b>财政厅</b>"),
    ("site.contact.address", "    address: 呼和浩特<iframe>"),
])
def test_markup_in_site_texts_is_refused(tmp_path: Path, key: str, line: str) -> None:
    """Site texts are printed on every page, some by the theme's own templates without escaping: a
    pull request that puts markup there is stopped at the config, naming the key."""
    root = make_site(tmp_path)
    config = root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    indent, _, _ = line.partition(line.strip())
    name = line.strip().split(":")[0]
    lines = [line if ln.startswith(f"{indent}{name}:") else ln for ln in text.splitlines()]
    if line not in lines:
        lines.insert(lines.index("site:") + 1, line)
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        load_config(root)
    [problem] = exc.value.problems
    assert problem.params["key"] == key and "不得含网页标记" in problem.render()
    assert not (root / "site").exists()


def test_footer_escapes_what_it_prints(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    address: ", "    address: 新华大街&63号 ", 1),
                      encoding="utf-8")
    build(root, root / "site")
    footer = (root / "site" / "index.html").read_text(encoding="utf-8").split('<div class="dc-footer">')[1]
    assert "新华大街&amp;63号" in footer
