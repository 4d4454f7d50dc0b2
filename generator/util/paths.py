"""File names as messages show them: relative to the site root when inside it, else in full."""

from __future__ import annotations

from pathlib import Path


def shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
