"""Reading a built site as an inspector's crawler does: every HTML page's title, breadcrumb, footer
text, ids (anchor targets) and the links and resources it refers to. One pass, standard library only."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes that load a resource when the page is shown (an external one leaks visits and breaks
# in mainland networks); <a href> only navigates.
RESOURCE_ATTRS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
                  ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("track", "src"),
                  ("video", "poster"), ("input", "src")}
BREADCRUMB_LABEL = "当前位置"


@dataclass
class Ref:
    url: str  # as written in the page
    tag: str
    resource: bool  # loads when the page is shown (script, style, image…), not a link to follow


@dataclass
class Page:
    path: str  # site-relative file path, e.g. records/x/index.html
    title: str = ""
    breadcrumb: bool = False
    footer: str = ""  # text of the page footer
    footer_links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)
    text_len: int = 0

    @property
    def url(self) -> str:
        """The page's URL path relative to the site root, as a directory URL where it is one."""
        return self.path[: -len("index.html")] if self.path.endswith("index.html") else self.path


class _Parser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_title = False
        self.footer_depth = 0
        self.svg_depth = 0  # an SVG's <title> is a chart's caption, not the page's

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.page.ids.add(a[key])
        label = a.get("aria-label", "")
        if label == BREADCRUMB_LABEL or "breadcrumb" in a.get("class", ""):
            self.page.breadcrumb = True
        if tag == "svg":
            self.svg_depth += 1
        if tag == "title" and not self.svg_depth:
            self.in_title = True
        if tag == "footer":
            self.footer_depth += 1
        for t, attr in RESOURCE_ATTRS:
            if tag == t and a.get(attr):
                if tag == "link" and not ({"stylesheet", "icon", "preload", "modulepreload", "manifest"}
                                          & set(a.get("rel", "").split())):
                    continue
                self.page.refs.append(Ref(a[attr], tag, True))
        if tag == "a" and a.get("href"):
            self.page.refs.append(Ref(a["href"], tag, False))
            if self.footer_depth:
                self.page.footer_links.append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1
        if tag == "title":
            self.in_title = False
        if tag == "footer" and self.footer_depth:
            self.footer_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.title += data
        if self.footer_depth:
            self.page.footer += data
        self.page.text_len += len(data.strip())


def read_page(site: Path, path: Path) -> Page:
    page = Page(path.relative_to(site).as_posix())
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    page.title = " ".join(page.title.split())
    page.footer = " ".join(page.footer.split())
    return page


def read_site(site: Path) -> dict[str, Page]:
    """Every HTML page of the site by its site-relative path (Pagefind's bundle holds none)."""
    return {p.path: p for p in (read_page(site, f) for f in sorted(site.rglob("*.html")))}


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "http", "https")


def resolve(site: Path, page: Page, url: str, base_path: str) -> tuple[Path | None, str]:
    """The file a site-internal URL points to (None when it cannot exist) and its #fragment.

    Absolute paths are read under the site's base path (`/yjgk/` for https://host/yjgk/): the 404
    page links that way because it is served at any depth."""
    parts = urlsplit(url)
    target = unquote(parts.path)
    if target.startswith("/"):
        if not target.startswith(base_path):
            return None, parts.fragment
        target = target[len(base_path):]
    elif target:
        target = urljoin("/" + page.path, target).lstrip("/")
    else:
        target = page.path
    path = site / target
    if target == "" or target.endswith("/") or path.is_dir():
        path = path / "index.html"
    try:
        path.resolve().relative_to(site.resolve())
    except ValueError:
        return None, parts.fragment  # ../ out of the site
    return path, unquote(parts.fragment)
