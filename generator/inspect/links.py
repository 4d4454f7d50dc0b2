"""Links, anchors, attachments and external resources of a built site (deduction items; a broken
internal link or attachment is the site's own bug, so it blocks)."""

from __future__ import annotations

from pathlib import Path

from generator.documents.doctext import content_matches
from generator.inspect.pages import Page, is_external, resolve
from generator.inspect.scorecard import DEDUCT, NORM, Finding

# Downloads an inspector clicks as attachments: documents and the open-data files.
DOCUMENTS = ("pdf", "docx", "xlsx", "ofd")
DOWNLOADS = DOCUMENTS + ("csv", "json", "jsonl", "xml", "zip")
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:")


def _ext(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def check_links(site: Path, pages: dict[str, Page], base_path: str) -> list[Finding]:
    broken: list[str] = []
    anchors: list[str] = []
    attachments: list[str] = []
    mislabelled: list[str] = []
    external: list[str] = []
    checked_files: dict[Path, bool] = {}
    n_links = n_files = 0
    for page in pages.values():
        for ref in page.refs:
            url = ref.url.strip()
            if not url or url.lower().startswith(SKIP_SCHEMES):
                continue
            if is_external(url):
                if ref.resource:
                    external.append(f"{page.path}：<{ref.tag}> 引用外部资源 {url}")
                continue
            target, fragment = resolve(site, page, url, base_path)
            ext = _ext(target) if target is not None else ""
            where = f"{page.path} → {url}"
            if ext in DOWNLOADS:
                n_files += 1
                if target is None or not target.is_file():
                    attachments.append(f"{where}：文件不存在")
                elif ext in DOCUMENTS and target not in checked_files:
                    checked_files[target] = content_matches(target.read_bytes(), ext)
                    if not checked_files[target]:
                        mislabelled.append(f"{where}：文件内容不是 .{ext} 格式")
                continue
            n_links += 1
            if target is None or not target.is_file():
                broken.append(f"{where}：页面不存在")
                continue
            if fragment and target.suffix == ".html":
                rel = target.relative_to(site).as_posix()
                other = pages.get(rel)
                if other is not None and fragment not in other.ids:
                    anchors.append(f"{where}：页面中没有锚点 #{fragment}")
    bad_links = broken + anchors
    bad_files = attachments + mislabelled
    return [
        Finding("链接可用性", DEDUCT, not bad_links,
                f"检查站内链接 {n_links} 个（含锚点）" + (f"，{len(broken)} 个页面不存在、{len(anchors)} 个锚点不存在"
                                                   if bad_links else "，全部可以打开"),
                bad_links, blocking=True, site_error=True),
        Finding("附件可下载", DEDUCT, not bad_files,
                f"检查附件和下载文件链接 {n_files} 个" + (
                    f"，{len(attachments)} 个文件不存在、{len(mislabelled)} 个文件内容与扩展名不符" if bad_files
                    else "，全部存在且格式与扩展名一致"),
                bad_files, blocking=True, site_error=True),
        Finding("不加载外部资源", NORM, not external,
                "页面不从其他网站加载脚本、样式、图片或框架" if not external
                else f"{len(external)} 处从其他网站加载资源（境内网络可能打不开，且会向第三方泄露访问记录）",
                external),
    ]
