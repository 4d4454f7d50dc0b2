"""The "是否想写…？" hint: the one closest known name, for every message about an unknown name."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable


def did_you_mean(word: object, known: Iterable[str], title_of: Callable[[str], str | None] | None = None) -> str:
    """With `title_of`, the field's Chinese title follows its name: 是否想写“summary”（摘要）？"""
    close = difflib.get_close_matches(str(word), list(known), n=1)
    if not close:
        return ""
    title = title_of(close[0]) if title_of else None
    return f"是否想写“{close[0]}”（{title}）？" if title and title != close[0] else f"是否想写“{close[0]}”？"
