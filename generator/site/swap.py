"""Stage 9, swap: put the finished site in place only when every stage succeeded.

The new site is built in a sibling directory; the old one is moved aside, the new one renamed in,
and the old one removed. A failure at any stage leaves the previous site untouched.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def staging_dir(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))


def swap_in(new: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    try:
        new.rename(out)
    except OSError:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
