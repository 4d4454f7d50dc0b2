"""What every page must carry: a title, a 当前位置 breadcrumb, the footer identifiers (主办单位, 网站标识码,
ICP and 公安机关备案号, 党政机关网站标识 where issued) and the 我为政府网站找错 entry."""

from __future__ import annotations

from generator.inspect.pages import Page
from generator.inspect.scorecard import DEDUCT, NORM, Finding
from generator.model.config import SiteConfig

# Pages that are not in a column: the home page has no position to show, the 404 page no place.
NO_BREADCRUMB = ("index.html", "404.html")


def check_identity(pages: dict[str, Page], config: SiteConfig) -> list[Finding]:
    s = config.site
    wanted = {"主办单位": s.organisation, "网站标识码": s.site_code, "ICP 备案号": s.icp, "公安机关备案号": s.psb}
    if s.party_badge.url:  # where issued, its link is in every footer
        wanted["党政机关网站标识"] = s.party_badge.url
    footer_missing: list[str] = []
    no_entry: list[str] = []
    no_title: list[str] = []
    doubled: list[str] = []
    no_crumb: list[str] = []
    for page in pages.values():
        haystack = page.footer + " " + " ".join(page.footer_links)
        lacking = [name for name, value in wanted.items() if value and value not in haystack]
        if lacking:
            footer_missing.append(f"{page.path}：缺少{'、'.join(lacking)}")
        if s.error_report_url and s.error_report_url not in page.footer_links:
            no_entry.append(page.path)
        if not page.title:
            no_title.append(f"{page.path}：没有标题")
        else:
            halves = [p.strip() for p in page.title.split(" - ")]
            if len(halves) == 2 and halves[0] == halves[1]:
                doubled.append(f"{page.path}：标题重复“{page.title}”")
        if page.path not in NO_BREADCRUMB and not page.breadcrumb:
            no_crumb.append(page.path)
    n = len(pages)
    crumbed = n - sum(p in pages for p in NO_BREADCRUMB)
    if not s.error_report_url:
        entry = Finding("我为政府网站找错入口", DEDUCT, False,
                        "site_config.yml 未配置 site.error_report_url，页面上没有网站纠错入口")
    else:
        entry = Finding("我为政府网站找错入口", DEDUCT, not no_entry,
                        f"{n - len(no_entry)}/{n} 个页面的页脚有纠错入口（{s.error_report_url}）", no_entry)
    return [
        Finding("页脚标识信息", NORM, not footer_missing,
                f"{n - len(footer_missing)}/{n} 个页面的页脚有{'、'.join(wanted)}", footer_missing),
        entry,
        Finding("页面标题", NORM, not (no_title or doubled),
                f"{n - len(no_title) - len(doubled)}/{n} 个页面有标题且不重复", no_title + doubled),
        Finding("当前位置导航", NORM, not no_crumb,
                f"{crumbed - len(no_crumb)}/{crumbed} 个页面（首页和 404 页除外）显示“当前位置”", no_crumb),
    ]
