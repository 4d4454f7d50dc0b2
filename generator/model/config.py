"""`site_config.yml` as a typed object, checked whole before anything is built.

Every key is declared here once, with its Chinese title; unknown keys are reported (with the
closest known key), missing required ones too, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import BuildError, Problems
from generator.problems.hints import did_you_mean

CONFIG_FILE = "site_config.yml"


def _opt(title: str, default: Any = None, required: bool = False, choices: tuple = ()) -> Any:
    meta = {"title": title, "required": required, "choices": choices}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda d=default: type(d)(d), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class Contact:
    phone: str = _opt("联系电话", required=True)
    address: str = _opt("通信地址", required=True)
    email: str = _opt("电子邮箱")


# The three levels of government that publish (自治区本级, its leagues and cities, their banners and counties).
LEVELS = ("自治区本级", "盟市", "旗县")


@dataclass
class PartyBadge:
    """党政机关网站标识, where the site has been issued one: the image and the link given with it."""

    url: str = _opt("党政机关网站标识的链接地址（开办单位信息核验页，conac.cn）")
    image: str = _opt("党政机关网站标识图片（站点目录中的路径，如 badges/dzjg.png）")


@dataclass
class SiteInfo:
    name: str = _opt("站点名称", required=True)
    organisation: str = _opt("主办单位", required=True)
    base_url: str = _opt("站点地址（完整网址，以 / 结尾）", required=True)
    portal_url: str = _opt("门户网站首页地址", required=True)
    site_code: str = _opt("网站标识码", required=True)
    icp: str = _opt("ICP 备案号", required=True)
    psb: str = _opt("公安机关备案号", required=True)
    contact: Contact = _opt("联系方式", required=True)
    error_report_url: str = _opt("网站纠错（错误报告）入口地址")
    party_badge: PartyBadge = _opt("党政机关网站标识", required=False)
    description: str = _opt("站点简介", "")
    # Levels of the platform (generator/platform/): which government level publishes this site.
    level: str = _opt("层级（自治区本级、盟市、旗县）", "自治区本级", choices=LEVELS)
    division_code: str = _opt("行政区划代码（GB/T 2260，六位数字，如 150000）", "150000")
    parent_url: str = _opt("上级统一公开平台地址（可选）")


@dataclass
class Deadlines:
    approved_days: int = _opt("随预决算公开：批复后天数（第十一条）", 20)
    completed_months: int = _opt("其他信息：事项结束后月数（第十二条）", 1)
    monitoring_report_due: str = _opt("绩效监控报告报送截止日（月-日，《监控办法》第十二条）", "08-31")


@dataclass
class Disclosure:
    withheld_display: str = _opt("不予公开事项的展示方式", "none", choices=("none", "counts"))


@dataclass
class Limits:
    max_file_mb: float = _opt("单个记录文件的大小上限（MB）", 50.0)
    max_amount: float = _opt("金额上限（元）：超过即视为填写错误", 1e12)
    max_problems_per_file: int = _opt("每个文件每类问题最多列出的条数", 200)


# The formats an attachment may have (generator/doctext.py reads each of them).
ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "ofd")


@dataclass
class AttachmentSettings:
    types: list[str] = _opt("允许的附件类型（扩展名列表）", list(ATTACHMENT_TYPES))
    max_mb: float = _opt("单个附件的大小上限（MB）", 20.0)


@dataclass
class Guard:
    min_length: int = _opt("泄密检查：比对字符串的最小长度", 4)


@dataclass
class Inspection:
    home_days: int = _opt("网站检查：首页最长不更新天数", 14)
    column_days: int = _opt("网站检查：栏目最长不更新天数", 183)


@dataclass
class SiteConfig:
    site: SiteInfo = _opt("站点信息", required=True)
    deadlines: Deadlines = _opt("公开时限", required=False)
    disclosure: Disclosure = _opt("公开展示", required=False)
    limits: Limits = _opt("限制", required=False)
    attachments: AttachmentSettings = _opt("附件", required=False)
    guard: Guard = _opt("泄密检查", required=False)
    inspect: Inspection = _opt("网站检查", required=False)


_TYPE_NAMES = {str: "文字", int: "整数", float: "数字", bool: "true 或 false", list: "列表"}


def _parse(cls: type, data: Any, prefix: str, problems: Problems, file: str) -> Any:
    hints = typing.get_type_hints(cls)
    if not isinstance(data, dict):
        problems.add("config_type", file, key=prefix or "（根）", expected="“键: 值”的映射", value=data)
        data = {}
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in fields:
            problems.add("config_unknown_key", file, key=f"{prefix}{key}", hint=did_you_mean(key, fields),
                         allowed=[f"{prefix}{n}（{f.metadata['title']}）" for n, f in fields.items()])
    values: dict[str, Any] = {}
    for name, f in fields.items():
        kind = hints[name]
        key = f"{prefix}{name}"
        raw = data.get(name)
        if dataclasses.is_dataclass(kind):
            if raw is None and f.metadata.get("required"):
                problems.add("config_missing", file, key=key, title=f.metadata["title"])
            values[name] = _parse(kind, raw or {}, key + ".", problems, file)
            continue
        if raw is None or raw == "":
            if f.metadata.get("required"):
                problems.add("config_missing", file, key=key, title=f.metadata["title"])
            continue
        base = typing.get_origin(kind) or kind
        if base is float and isinstance(raw, int) and not isinstance(raw, bool):
            raw = float(raw)
        if base is str and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raw = str(raw)  # codes such as 网站标识码 look like numbers in YAML
        if not isinstance(raw, base) or (base is int and isinstance(raw, bool)):
            problems.add("config_type", file, key=key, expected=_TYPE_NAMES.get(base, str(base)), value=raw)
            continue
        # Site texts appear on every page, some through the theme's own templates, which print them
        # unescaped (site name, description): markup is refused here, once, for all of them.
        if base is str and ("<" in raw or ">" in raw):
            problems.add("config_markup", file, key=key, value=raw)
            continue
        choices = f.metadata.get("choices")
        if choices and raw not in choices:
            problems.add("config_choice", file, key=key, value=raw, allowed=list(choices))
            continue
        values[name] = raw
    return cls(**values)


def load_config(root: Path) -> SiteConfig:
    """Read and check `site_config.yml`; raise BuildError naming every problem at once."""
    path = root / CONFIG_FILE
    problems = Problems()
    if not path.is_file():
        raise BuildError.one("config_missing_file", CONFIG_FILE)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add("yaml_syntax", CONFIG_FILE, line=mark.line + 1 if mark else None,
                     detail=getattr(exc, "problem", None) or str(exc))
        raise BuildError(problems) from None
    config = _parse(SiteConfig, data, "", problems, CONFIG_FILE)
    if config.site.base_url and not config.site.base_url.endswith("/"):
        config.site.base_url += "/"
    _attachment_types(config.attachments, problems)
    _party_badge(config.site.party_badge, root, problems)
    _division(config.site, problems)
    if problems:
        raise BuildError(problems)
    return config


def _attachment_types(settings: AttachmentSettings, problems: Problems) -> None:
    """`[PDF, .docx]` means pdf and docx; a type no reader exists for is an error, not a silent skip."""
    types = []
    for t in settings.types:
        name = str(t).strip().lower().lstrip(".")
        if name not in ATTACHMENT_TYPES:
            problems.add("config_choice", CONFIG_FILE, key="attachments.types", value=t, allowed=list(ATTACHMENT_TYPES))
        elif name not in types:
            types.append(name)
    settings.types = types


BADGE_TYPES = (".png", ".svg", ".gif", ".jpg", ".jpeg")
BADGE_HOST = "conac.cn"  # the issuer (中央机构编制委员会办公室) hosts every badge's verification page


def _party_badge(badge: PartyBadge, root: Path, problems: Problems) -> None:
    """Both or neither; the link on the issuer's site; the image a file the site ships."""
    from urllib.parse import urlsplit

    if not badge.url and not badge.image:
        return
    for key, value in (("url", badge.url), ("image", badge.image)):
        if not value:
            problems.add("config_missing", CONFIG_FILE, key=f"site.party_badge.{key}",
                         title=PartyBadge.__dataclass_fields__[key].metadata["title"])
    if badge.url:
        parts = urlsplit(badge.url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or not (host == BADGE_HOST or host.endswith("." + BADGE_HOST)):
            problems.add("config_badge_url", CONFIG_FILE, key="site.party_badge.url", value=badge.url)
    if badge.image:
        path = (root / badge.image.strip()).resolve()
        inside = path.is_relative_to(root.resolve())
        if not inside or not path.is_file() or path.suffix.lower() not in BADGE_TYPES:
            problems.add("config_badge_image", CONFIG_FILE, key="site.party_badge.image", value=badge.image)


def division_problem(level: str, code: str) -> str | None:
    """GB/T 2260: six digits; a league's code ends in 00 and the region's in 0000 (150000, 150100, 150102).
    Returns the message code of what is wrong, or None."""
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return "config_division_code"
    if (level == "自治区本级" and not code.endswith("0000")) or (
            level == "盟市" and (not code.endswith("00") or code.endswith("0000"))) or (
            level == "旗县" and code.endswith("00")):
        return "config_division_level"
    return None


def _division(site: SiteInfo, problems: Problems) -> None:
    code = division_problem(site.level, site.division_code)
    if code:
        problems.add(code, CONFIG_FILE, key="site.division_code", value=site.division_code, level=site.level)


def documented_keys(cls: type = SiteConfig, prefix: str = "") -> dict[str, str]:
    """Every config key with its title; the docs test checks the README names each one."""
    out: dict[str, str] = {}
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(hints[f.name]):
            out.update(documented_keys(hints[f.name], key + "."))
        else:
            out[key] = f.metadata["title"]
    return out
