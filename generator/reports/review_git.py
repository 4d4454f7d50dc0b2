"""`disclose review`'s base side: the site as committed at a git ref, exported to a folder (only the
paths a build reads; no checkout filters, no export attributes)."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from generator.log import publog
from generator.problems import BuildError

SITE_PATHS = ("content", "site_config.yml", "schemas", publog.LOG_FILE)


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=600,
                              check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise BuildError.one("review_git_missing", detail=str(exc)) from exc


def export_base(root: Path, ref: str, dest: Path) -> tuple[Path, str]:
    """Write the site files at git `ref` under `dest`; returns the base site's root and the commit."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise BuildError.one("review_not_git", root=str(root), ref=ref)
    # A ref starting with "-" would be read as an option by git.
    if not ref or ref.startswith("-"):
        raise BuildError.one("review_bad_ref", ref=ref)
    found = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if found.returncode != 0:
        raise BuildError.one("review_bad_ref", ref=ref)
    commit = found.stdout.decode().strip()
    prefix = PurePosixPath(root.resolve().relative_to(Path(top.stdout.decode().strip()).resolve()).as_posix())
    wanted = [str(prefix / p) if str(prefix) != "." else p for p in SITE_PATHS]
    listed = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *wanted)
    if listed.returncode != 0:
        raise BuildError.one("review_git_failed", ref=ref, detail=listed.stderr.decode(errors="replace").strip())
    blobs = []
    for entry in listed.stdout.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        # Regular files only: links and submodules are nothing the loader reads.
        if meta.startswith((b"100644 blob ", b"100755 blob ")):
            blobs.append((meta.split()[2].decode(), path.decode()))
    base_root = dest / prefix
    base_root.mkdir(parents=True, exist_ok=True)
    _write_blobs(root, blobs, dest, ref)
    return base_root, commit


def _write_blobs(root: Path, blobs: list[tuple[str, str]], dest: Path, ref: str) -> None:
    """The files as committed (no checkout filters, no export attributes), read in one `git cat-file`."""
    if not blobs:
        return
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha, _ in blobs).encode())
    if out.returncode != 0:
        raise BuildError.one("review_git_failed", ref=ref, detail=out.stderr.decode(errors="replace").strip())
    data, pos = out.stdout, 0
    for _, rel in blobs:
        header_end = data.index(b"\n", pos)
        size = int(data[pos:header_end].split()[2])
        target = dest / PurePosixPath(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data[header_end + 1: header_end + 1 + size])
        pos = header_end + 1 + size + 1
