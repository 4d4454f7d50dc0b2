"""HTML written by editors (a notice's Markdown body) is cleaned before it reaches a page.

Markdown passes raw HTML through, so a body holding `<script>`, `<img onerror=…>`, `javascript:` links or an
`<iframe>` would otherwise run on the public site. nh3 (the Ammonia sanitiser) keeps only what notices need:
paragraphs, lists, tables, headings, emphasis, code, quotes, links to http(s), mailto and site-relative
addresses, and images from the site itself. `removed()` says what was dropped, for `validate`'s warning;
it walks the same Markdown output with the same allow-list, so the warning and the page agree.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i", "u",
        "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "img", "sup", "sub",
        "del", "s", "abbr"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
              "th": {"style", "colspan", "rowspan", "scope"}, "td": {"style", "colspan", "rowspan"},
              "ol": {"start"}, "abbr": {"title"}}
LINK_SCHEMES = {"http", "https", "mailto"}
# Dropped with their content, not only their tags: their text is code or styling, never reading matter.
DROP_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math", "textarea",
                "select", "title"}
EXTENSIONS = ["tables", "sane_lists"]
MARKDOWN_FIELDS = ("body",)  # record fields written in Markdown (notices' 正文)


def markdown_html(text: str) -> str:
    """A notice's Markdown as HTML with nothing that can run, load from elsewhere or restyle the page."""
    import markdown

    html = markdown.markdown(text, extensions=EXTENSIONS, output_format="html")
    return nh3.clean(html, tags=TAGS, clean_content_tags=DROP_CONTENT, attributes=ATTRIBUTES,
                     url_schemes=LINK_SCHEMES, attribute_filter=_attribute, filter_style_properties={"text-align"},
                     link_rel="noopener noreferrer", strip_comments=True)


def _attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src" and not _own(value):
        return None
    return value


def _own(url: str) -> bool:
    """An address on the site itself: relative, without a scheme or a host of its own."""
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc and not url.strip().startswith(("//", "\\"))


def removed(text: str) -> list[str]:
    """What `markdown_html` drops from this Markdown, in Chinese words, each once, in order of first sight."""
    import markdown

    finder = _Finder()
    finder.feed(markdown.markdown(text, extensions=EXTENSIONS, output_format="html"))
    finder.close()
    return list(dict.fromkeys(finder.found))


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.inside: list[str] = []  # open tags dropped with their content: what is in them is not reported

    def handle_endtag(self, tag: str) -> None:
        if tag in self.inside:
            del self.inside[len(self.inside) - 1 - self.inside[::-1].index(tag):]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside:
            if tag in DROP_CONTENT:
                self.inside.append(tag)
            return
        if tag in DROP_CONTENT:
            self.found.append(f"<{tag}> 标签及其内容")
            self.inside.append(tag)
            return
        if tag not in TAGS:
            self.found.append(f"<{tag}> 标签")
            return
        allowed = ATTRIBUTES.get(tag, set()) | ({"href"} if tag == "a" else set())
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self.found.append(f"<{tag}> 的 {name} 属性")
            elif name == "href" and urlsplit(value.strip()).scheme.lower() not in LINK_SCHEMES | {""}:
                self.found.append(f"“{urlsplit(value.strip()).scheme}:”链接")
            elif tag == "img" and name == "src" and not _own(value):
                self.found.append("站外图片")
            elif name == "style" and not _text_align_only(value):
                self.found.append(f"<{tag}> 的 style 属性中除 text-align 以外的样式")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)


def _text_align_only(style: str) -> bool:
    props = [p.split(":", 1)[0].strip().lower() for p in style.split(";") if p.strip()]
    return all(p == "text-align" for p in props)
