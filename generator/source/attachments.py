"""Reports and tables attached to records: read from the record's YAML (`attachments`), checked,
and shipped next to the record page without their document properties.

An attachment is a file beside its record in `content/` (its path relative to the record file's
folder, never outside it). Validation reads each one once: type by extension and by content, size,
comments and tracked changes, and its text (`doctext`), which the guard, the search and the
attachment's text page use; the build copies the public ones to `records/<id>/<file name>`.
"""

from __future__ import annotations

import difflib
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from generator.documents import doctext
from generator.model.catalog import Catalog
from generator.model.formatting import size_text
from generator.model.records import Attachment
from generator.problems import BuildError, Problems, titled
from generator.source.cast import cast_table

if TYPE_CHECKING:
    from generator.model.config import AttachmentSettings
    from generator.model.records import PublicRecord, Record

FIELD, FIELD_TITLE = "attachments", "附件"


@dataclass
class Shipped:
    """A public attachment as copied into the site (metadata stripped): what pages and downloads show."""

    name: str
    title: str
    file_type: str
    size: int
    sha256: str

    @property
    def media_type(self) -> str:
        return doctext.MEDIA_TYPES[self.file_type]

    @property
    def type_label(self) -> str:
        return self.file_type.upper()

    @property
    def size_text(self) -> str:
        return size_text(self.size)

    @property
    def page(self) -> str:
        """The attachment's text page beside it, which the site search indexes."""
        return f"{self.name}.html"


# ---- validation --------------------------------------------------------------------------------------

def check_attachments(records: list[Record], root: Path | None, settings: AttachmentSettings,
                      catalog: Catalog, problems: Problems) -> None:
    """Check every record's `attachments` rows and set `record.attachments` to the ones that pass."""
    from generator.model.config import AttachmentSettings

    specs = catalog.attachment_schema.get("fields") or []
    if not specs or root is None:
        return
    settings = settings or AttachmentSettings()
    titles = {s["name"]: s["title"] for s in specs}
    owners: list[tuple[Record, int]] = []
    table: list[list[str | None]] = []
    for r in records:
        for i, (row_number, line, values, lines) in enumerate(r.origin.attachment_rows or ()):
            row: list[str | None] = []
            bad = False
            for key in sorted(values.keys() - titles.keys()):
                problems.add("attachment_unknown_key", r.origin.file, lines.get(key, line), FIELD, FIELD_TITLE,
                             row=row_number, name=key, allowed=titled(list(titles), titles.get))
            for spec in specs:
                value = values.get(spec["name"])
                if isinstance(value, (list, dict)):
                    problems.add("yaml_bad_value", r.origin.file, lines.get(spec["name"], line), spec["name"],
                                 spec["title"], expected="单个值", actual="列表" if isinstance(value, list) else "映射")
                    bad = True
                    value = None
                row.append(value if isinstance(value, str) and value.strip() else None)
            if bad:
                continue
            owners.append((r, i))
            table.append(row)
    typed, errors = cast_table(table, specs)
    failed = set()
    for index, spec, code, params in errors:
        r, i = owners[index]
        _, line, _, lines = r.origin.attachment_rows[i]
        problems.add(code, r.origin.file, lines.get(spec["name"], line), spec["name"], spec["title"], **params)
        failed.add(index)
    found: dict[int, list[Attachment]] = {}
    seen: dict[int, dict[str, tuple[int, str]]] = {}
    for index, ((r, i), values) in enumerate(zip(owners, typed, strict=True)):
        if index in failed:
            continue
        names = seen.setdefault(id(r), {})
        attachment = _check_one(r, i, values, root, settings, names, problems)
        if attachment is not None:
            found.setdefault(id(r), []).append(attachment)
    for r in records:
        if id(r) in found:
            r.attachments = tuple(found[id(r)])


def _check_one(r: Record, i: int, values: dict[str, Any], root: Path, settings: AttachmentSettings,
               names: dict[str, tuple[int, str]], problems: Problems) -> Attachment | None:
    o = r.origin
    row, line, _, lines = o.attachment_rows[i]
    at = lines.get("path", line)
    written = values["path"].strip()
    folder_rel = PurePosixPath(o.file).parent
    folder = root / folder_rel

    def report(code: str, **params: Any) -> None:
        problems.add(code, o.file, at, FIELD, FIELD_TITLE, row=row, path=written, **params)

    path = PurePosixPath(written.replace("\\", "/"))
    if not path.parts or path.is_absolute() or ":" in path.parts[0] or ".." in path.parts:
        report("attachment_outside", folder=f"{folder_rel}/")
        return None
    source = folder / path
    try:
        inside = source.resolve().is_relative_to(folder.resolve())
    except OSError:
        inside = False
    if not inside:
        report("attachment_outside", folder=f"{folder_rel}/")
        return None
    key = path.name.lower()
    if key in names:
        other_row, other_path = names[key]
        report("attachment_duplicate", other=other_row, other_path=other_path)
        return None
    names[key] = (row, written)
    ext = path.suffix.lower().lstrip(".")
    if ext not in settings.types:
        report("attachment_type", ext=path.suffix or "（无扩展名）", allowed=[f".{t}" for t in settings.types])
        return None
    if not source.is_file():
        report("attachment_missing", folder=f"{folder_rel}/", hint=_hint(source))
        return None
    size = source.stat().st_size
    if size > settings.max_mb * 1024 * 1024:
        report("attachment_too_large", size=size_text(size), limit=size_text(int(settings.max_mb * 1024 * 1024)))
        return None
    data = source.read_bytes()
    if not doctext.content_matches(data, ext):
        report("attachment_content", ext=f".{ext}", expected=ext.upper(), magic=doctext.MAGIC_TEXT[ext])
        return None
    marks = doctext.review_marks(data, ext)
    if marks:
        report("attachment_review_marks", what="、".join(marks))
        return None
    try:
        hidden = doctext.hidden_content(data, ext)
    except (KeyError, ValueError, zipfile.BadZipFile):
        hidden = []  # an unreadable workbook is reported below
    if hidden:
        report("attachment_hidden", what="；".join(hidden))
        return None
    try:
        text = doctext.extract_text(data, ext)
    except doctext.DocError as exc:
        report("attachment_unreadable", detail=str(exc))
        return None
    return Attachment(path.as_posix(), values["title"].strip(), bool(values.get("confidential")), ext, size,
                      hashlib.sha256(data).hexdigest(), source, (folder_rel / path).as_posix(), text)


def _hint(source: Path) -> str:
    """A file of nearly the same name in the same folder (letter case, a typo)."""
    if not source.parent.is_dir():
        return ""
    names = [p.name for p in source.parent.iterdir() if p.is_file()]
    lower = {n.lower(): n for n in names}
    close = lower.get(source.name.lower()) or next(iter(difflib.get_close_matches(source.name, names, n=1)), None)
    return f"同一目录下有“{close}”，是否指它？" if close else ""


# ---- shipping ----------------------------------------------------------------------------------------

def ship(r: PublicRecord, folder: Path) -> list[Shipped]:
    """Copy the record's public attachments into its page folder, without document properties."""
    out = []
    for a in r.attachments:
        try:
            data = doctext.strip(a.source.read_bytes(), a.file_type)
        except Exception as exc:  # noqa: BLE001 (any parser error: the file cannot be shipped safely)
            raise BuildError.one("attachment_unshippable", a.file, path=a.path,
                                 detail=str(exc)[:200] or type(exc).__name__) from None
        folder.mkdir(parents=True, exist_ok=True)
        (folder / a.name).write_bytes(data)
        out.append(Shipped(a.name, a.title, a.file_type, len(data), hashlib.sha256(data).hexdigest()))
    return out


def text_paragraphs(text: str) -> list[str]:
    """An attachment's text as the lines of its text page."""
    return [line.strip() for line in text.splitlines() if line.strip()]
