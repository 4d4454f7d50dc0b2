"""The "是否想写…？" hint: the one closest known name, for every message about an unknown name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: object, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(known), n=1)
    return f"是否想写“{close[0]}”？" if close else ""
