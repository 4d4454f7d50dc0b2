"""The reviewed allow-list, `content/public-phrases.yml`: phrases the editors declare public although a
secret contains them (a phrase already published elsewhere, a common term). Each entry gives the text
and the reason; `disclose review` shows the list to the reviewer, marking what a change adds.

    - text: 配套建设无人机起降平台
      reason: 已在政府工作报告中公开
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PUBLIC_PHRASES = "public-phrases.yml"  # under content/


@dataclass(frozen=True)
class Phrase:
    text: str
    reason: str
    line: int


def allowed_phrases(root: Path) -> list[Phrase]:
    """The reviewed allow-list: phrases the editors declare public although a secret contains them.
    Malformed entries are reported by validation (`check_allow_list`), and ignored here."""
    path = root / "content" / PUBLIC_PHRASES
    if not path.is_file():
        return []
    try:
        data = yaml.compose(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return []
    out = []
    if isinstance(data, yaml.SequenceNode):
        for node in data.value:
            if not isinstance(node, yaml.MappingNode):
                continue
            entry = {k.value: v.value for k, v in node.value if isinstance(k, yaml.ScalarNode)
                     and isinstance(v, yaml.ScalarNode)}
            if str(entry.get("text") or "").strip() and str(entry.get("reason") or "").strip():
                out.append(Phrase(str(entry["text"]).strip(), str(entry["reason"]).strip(), node.start_mark.line + 1))
    return out


def check_allow_list(root: Path, problems: Any) -> None:
    path = root / "content" / PUBLIC_PHRASES
    if not path.is_file():
        return
    rel = f"content/{PUBLIC_PHRASES}"
    try:
        data = yaml.compose(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.add("yaml_syntax", rel, getattr(getattr(exc, "problem_mark", None), "line", -1) + 1 or None,
                     detail=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return
    if data is None:
        return
    nodes = data.value if isinstance(data, yaml.SequenceNode) else [data]
    for i, node in enumerate(nodes, start=1):
        entry = {k.value: v.value for k, v in node.value if isinstance(k, yaml.ScalarNode)
                 and isinstance(v, yaml.ScalarNode)} if isinstance(node, yaml.MappingNode) else {}
        if not str(entry.get("text") or "").strip() or not str(entry.get("reason") or "").strip():
            problems.add("public_phrase_bad", rel, node.start_mark.line + 1, row=i)
