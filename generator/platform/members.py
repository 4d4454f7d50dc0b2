"""`platform.yml`: the member sites of the platform, `members: [{name, level, division_code, url}]`.

`url` is the HTTP(S) base address of a member's published site or a local folder holding it (relative
to platform.yml); never a content repository: the platform reads only what a member already published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.model.config import LEVELS, division_problem
from generator.problems import BuildError, Problems

KEYS = ("name", "level", "division_code", "url")


@dataclass(frozen=True)
class MemberSpec:
    name: str
    level: str
    division_code: str
    url: str  # an http(s) base address ending in /, or an absolute local folder

    @property
    def remote(self) -> bool:
        return self.url.startswith(("http://", "https://"))


def load_members(path: Path) -> list[MemberSpec]:
    """Read and check platform.yml; BuildError naming every problem (file, line, key) at once."""
    file = path.name
    problems = Problems()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.add("platform_sites_unreadable", file, detail="文件不存在")
        raise BuildError(problems) from None
    except (OSError, UnicodeDecodeError) as exc:
        problems.add("platform_sites_unreadable", file, detail=getattr(exc, "strerror", None) or str(exc))
        raise BuildError(problems) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add("yaml_syntax", file, line=mark.line + 1 if mark else None,
                     detail=getattr(exc, "problem", None) or str(exc))
        raise BuildError(problems) from None
    items = data.get("members") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        problems.add("platform_no_members", file)
        raise BuildError(problems)
    lines = _item_lines(node)
    members: list[MemberSpec] = []
    seen: dict[str, int] = {}
    for n, item in enumerate(items):
        line = lines[n] if n < len(lines) else None
        if not isinstance(item, dict):
            problems.add("platform_member_shape", file, line, number=n + 1)
            continue
        values = {k: str(item.get(k) if item.get(k) is not None else "").strip() for k in KEYS}
        bad = False
        for key in item:
            if key not in KEYS:
                problems.add("platform_member_key", file, line, key, number=n + 1, key=key, allowed=list(KEYS))
                bad = True
        for key in KEYS:
            if not values[key]:
                problems.add("platform_member_missing", file, line, key, number=n + 1, key=key)
                bad = True
        if values["level"] and values["level"] not in LEVELS:
            problems.add("platform_member_level", file, line, "level", number=n + 1, value=values["level"],
                         allowed=list(LEVELS))
            bad = True
        code = values["division_code"]
        wrong = division_problem(values["level"], code) if code else None
        if wrong:
            problems.add(wrong, file, line, "division_code", key="division_code", value=code, level=values["level"])
            bad = True
        elif code in seen:
            problems.add("platform_member_duplicate", file, line, "division_code", value=code, first=seen[code])
            bad = True
        seen.setdefault(code, n + 1)
        if bad:
            continue
        url = values["url"]
        if url.startswith(("http://", "https://")):
            url = url if url.endswith("/") else url + "/"
        elif "://" in url:
            problems.add("platform_member_url", file, line, "url", number=n + 1, value=url)
            continue
        else:
            url = str((path.parent / url).resolve())
        members.append(MemberSpec(values["name"], values["level"], code, url))
    if problems:
        raise BuildError(problems)
    return members


def _item_lines(node) -> list[int]:
    """1-based line of each item under `members:`, for the messages."""
    if node is None or not hasattr(node, "value") or not isinstance(node.value, list):
        return []
    for key, value in node.value:
        if getattr(key, "value", None) == "members" and isinstance(getattr(value, "value", None), list):
            return [item.start_mark.line + 1 for item in value.value]
    return []
