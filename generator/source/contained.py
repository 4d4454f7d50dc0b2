"""Content stays inside the site root: the files under content/, without following a link out of it.

A symbolic link (file or folder) under content/ whose target leaves the site root is refused and never
read: it would publish a file from outside the repository, or print one's text in a message (a pull
request's CI log). Links inside the root are followed, each folder once (a link loop ends there).
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.problems import Problems


def content_files(root: Path, problems: Problems) -> list[Path]:
    """Every file under root/content, sorted; each link leaving the root reported once and skipped."""
    real_root = Path(os.path.realpath(root))
    content = root / "content"
    if not Path(os.path.realpath(content)).is_relative_to(real_root):
        problems.add("symlink_outside", "content")
        return []
    files: list[Path] = []
    seen: set[str] = set()
    stack = [content]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            problems.add("file_unreadable", folder.relative_to(root).as_posix(), detail=exc.strerror or str(exc))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(real_root):
                problems.add("symlink_outside", path.relative_to(root).as_posix())
            elif entry.is_dir():
                stack.append(path)
            elif entry.is_file():
                files.append(path)
    return sorted(files)


def leaves_root(path: Path, root: Path) -> bool:
    """A file named directly (departments.yml, a companion table, the register) that is a link out of the root."""
    return os.path.islink(path) and not Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(root)))
