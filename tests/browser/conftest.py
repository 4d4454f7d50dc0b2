"""Browser tests: the example site, built once per session, served from localhost and driven in
Debian's Chromium through Playwright (no browser download: the executable path is set).

Without Chromium or Playwright the tests skip on a developer's machine and fail in CI (CI=true),
where `.ci/run` installs both. Every page is opened in a fresh context that refuses any request
leaving localhost and records console errors, failed requests and error responses.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.serving import CONTENT_TYPES, serve  # noqa: F401 - CONTENT_TYPES is imported from here by tests

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Reported as a console error, so `check_clean` fails a test on any violation, whichever the page.
CSP_WATCH = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + (e.sourceFile || location.href) + ":" + e.lineNumber);
});"""


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail loudly in CI, where the browser must be there."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"浏览器测试无法运行：{reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class Site:
    root: Path
    dir: Path
    url: str
    config: Any
    pages: dict[str, str] = field(default_factory=dict)

    def at(self, path: str) -> str:
        return self.url + path.lstrip("/")


def _page_types(site_dir: Path) -> dict[str, str]:
    """One page of every type the site has, as paths from the site root."""
    def first(pattern: str) -> str | None:
        found = sorted(p for p in site_dir.glob(pattern) if (p / "index.html").is_file())
        return found[0].relative_to(site_dir).as_posix() + "/" if found else None

    pages = {"首页": "", "栏目": "goals/", "栏目年度": first("goals/20*"), "部门列表": "depts/",
             "部门": "depts/jyt/", "部门年度": first("depts/jyt/20*"), "信息页": "records/jyt-2026-goal-xszz/",
             "检索": "search/", "公开日志": "log/", "日志月份": first("log/20*"), "开放数据": "data/",
             "公开说明": "about/", "编辑指南": "guide/", "无障碍说明": "conformance/", "404": "404.html"}
    return {name: path for name, path in pages.items()
            if path is not None and ((site_dir / path).is_file() or (site_dir / path / "index.html").is_file())}


@pytest.fixture(scope="session")
def site(example_build) -> Iterator[Site]:
    from generator.model.config import load_config

    root, out = example_build.root, example_build.site
    config = load_config(root)
    with serve(out, urlsplit(config.site.base_url).path or "/") as url:
        yield Site(root, out, url, config, _page_types(out))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("未安装 Playwright（pip install -e '.[test]'）")
    if not Path(CHROMIUM).is_file():
        unavailable(f"未找到 Chromium（{CHROMIUM}；Debian：apt-get install chromium）")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Tab:
    """One browser context and page, watching for errors and for requests that leave localhost."""

    def __init__(self, browser: Any, site: Site, **options: Any):
        self.site = site
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context = browser.new_context(locale="zh-CN", **options)
        self.context.route("**/*", self._route)
        self.context.set_default_timeout(10_000)
        # Every Content-Security-Policy violation is an error of the page (the policy is on: bypass_csp is off).
        self.context.add_init_script(CSP_WATCH)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def _route(self, route: Any) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("data", "blob") or url.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.site.at(path), wait_until="load")
        assert response is not None and (response.ok or path.endswith("404.html")), f"{path}: {response and response.status}"
        return self.page

    def screenshot(self, name: str, **options: Any) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), **options)
        return path

    def check_clean(self) -> None:
        # The 404 page is fetched with status 404 on purpose.
        errors = [e for e in self.errors if "404.html" not in e]
        assert not errors, "浏览器报告错误：\n" + "\n".join(errors)
        assert not self.outside, "请求离开了本机：\n" + "\n".join(self.outside)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, site) -> Iterator[Tab]:
    t = Tab(browser, site, **DESKTOP)
    yield t
    t.close()
    t.check_clean()


@pytest.fixture
def phone(browser, site) -> Iterator[Tab]:
    t = Tab(browser, site, **PHONE)
    yield t
    t.close()
    t.check_clean()
