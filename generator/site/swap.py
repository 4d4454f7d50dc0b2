"""Stage 9, swap: put the finished site in place only when every stage succeeded.

Where the site may go (`check_out`): never the site root, its sources (`content/`, `templates/`,
`schemas/`), a `.git` folder, or an existing folder `disclose` did not write (the marker file tells).

How it gets there (`Workspace`): everything a build writes lives in ONE hidden work folder beside the
output, `.<name>.disclose-work/`, mode 0700 (a web server serving the parent, running as another user,
cannot read half-built pages that the leak guard has not checked yet). A build holds a lock on it; a
later build finds what a killed one left there, removes it and says so. The new site is exchanged with
the old one in one `renameat2(RENAME_EXCHANGE)` where the kernel offers it, so the output is never
missing; elsewhere the old site is renamed into the work folder first (a moment without a site).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import stat
from pathlib import Path

from generator.model.catalog import bundled
from generator.problems import BuildError, Problems

MARKER = ".disclose-site"
MARKER_TEXT = "本目录由 disclose build 生成，每次构建时整体替换；请勿在此存放其他文件。\n"
SOURCE_DIRS = ("content", "templates", "schemas")
CACHE_DIR = ".disclose-cache"  # generator/shards/store.py: reused shards, never an output


def work_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.disclose-work"


def check_out(root: Path, out: Path) -> None:
    """Refuse (BuildError, nothing touched) an output a build would destroy something by replacing."""
    root, out = root.resolve(), out.resolve()
    reason = _refusal(root, out)
    if reason:
        problems = Problems()
        problems.add("out_refused", out=str(out), reason=reason)
        raise BuildError(problems)


def _refusal(root: Path, out: Path) -> str | None:
    if out == root:
        return "它就是站点目录本身（含 content/ 和 site_config.yml）"
    if root.is_relative_to(out):
        return "它包含站点目录（及其中的 content/ 等源文件）"
    if ".git" in out.parts or (out / ".git").exists():
        return "它是或位于 git 版本库的 .git 目录中，或本身是一个版本库"
    for base in (root, bundled("templates").parent):
        for name in SOURCE_DIRS:
            src = (base / name).resolve()
            if out.is_relative_to(src) or src.is_relative_to(out):
                return f"它是、包含或位于源文件目录 {src} 中"
    if out.is_relative_to(root / CACHE_DIR):
        return f"它是或位于构建缓存目录 {root / CACHE_DIR} 中"
    if work_dir(out).is_symlink():
        return f"它旁边的构建工作目录 {work_dir(out).name} 是一个符号链接"
    if out.name.endswith(".disclose-work"):
        return "它是构建用的临时工作目录"
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        return "它已存在，但不是目录"
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file() and not _legacy_site(out):
        return f"它已存在、不是空目录，且不是 disclose 生成的站点（其中没有标记文件 {MARKER}）"
    return None


def _legacy_site(out: Path) -> bool:
    """A site built before the marker file existed: MkDocs' 404 page, the sitemap and Pagefind's bundle."""
    return all((out / name).is_file() for name in ("404.html", "sitemap.xml", "pagefind/pagefind.js"))


class Workspace:
    """The build's hidden work folder: staging site, scratch files, and the lock that guards them."""

    def __init__(self, out: Path):
        self.out = out
        self.dir = work_dir(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        self.dir.mkdir(mode=0o700, exist_ok=True)
        os.chmod(self.dir, 0o700)
        self._lock = os.open(self.dir / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self._lock)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                problems = Problems()
                problems.add("out_busy", out=str(out))
                raise BuildError(problems) from None
            raise
        # Holding the lock, anything else here was left by a build that was killed.
        self.cleaned = sorted(p.name for p in self.dir.iterdir() if p.name != "lock")
        for name in self.cleaned:
            _remove(self.dir / name)
        # Leftovers of the builds before the work folder existed: `.site.build-*`, `.site.old-*`.
        for old in sorted(out.parent.glob(f".{out.name}.build-*")) + sorted(out.parent.glob(f".{out.name}.old-*")):
            if old.is_dir() and not old.is_symlink():
                self.cleaned.append(old.name)
                _remove(old)
        self.site = self.dir / "site"
        self.site.mkdir(mode=0o755)
        self.scratch = self.dir / "scratch"
        self.scratch.mkdir(mode=0o700)

    def close(self) -> None:
        """Remove the work folder, lock last: nothing of the build stays beside the site."""
        for p in self.dir.iterdir():
            if p.name != "lock":
                _remove(p)
        (self.dir / "lock").unlink(missing_ok=True)
        try:
            self.dir.rmdir()
        except OSError:
            pass  # another build created something meanwhile; it is that build's to remove
        os.close(self._lock)


def swap_in(new: Path, out: Path, mark: bool = True) -> None:
    """Make `new` the site at `out`: world-readable, marked as ours (`mark`: the marker `check_out` looks
    for; the platform, which does not check its output that way, ships none), replacing any old one at once."""
    if mark:
        (new / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    publishable(new)
    if out.exists() and _exchange(new, out):
        _remove(new)  # `new` now holds the old site
        return
    old = new.parent / "old"
    if out.exists():
        out.rename(old)
    try:
        new.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    _remove(old)


def publishable(site: Path) -> None:
    """Folders 0755, files 0644: the web server may run as another user, and nothing here is executable."""
    os.chmod(site, 0o755)
    for dirpath, dirnames, filenames in os.walk(site):
        for name in dirnames:
            _mode(os.path.join(dirpath, name), 0o755)
        for name in filenames:
            _mode(os.path.join(dirpath, name), 0o644)


def _mode(path: str, mode: int) -> None:
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        return
    if stat.S_IMODE(st.st_mode) != mode:
        os.chmod(path, mode)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2). False where the libc or filesystem lacks it."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
