"""The plain data the stages hand each other: records, where they came from, their attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.problems import Problems


@dataclass
class Origin:
    file: str
    line: int
    dept: str
    year: str
    field_lines: dict[str, int] = field(default_factory=dict)
    row_lines: list[int] = field(default_factory=list)
    row_field_lines: list[dict[str, int]] = field(default_factory=list)
    # The companion `.indicators.csv` when the rows came from one; problems in rows name that file.
    rows_file: str = ""
    # The YAML `attachments` rows as written: (row number, line, values, field -> line); see attachments.py.
    attachment_rows: list[tuple[int, int, dict[str, Any], dict[str, int]]] | None = None
    # Parts written but unusable (indicators not a list, a companion without record_id): already reported,
    # so rules do not also call them missing. None until one is (most records have none).
    unusable: set[str] | None = None

    def mark_unusable(self, name: str) -> None:
        if self.unusable is None:
            self.unusable = set()
        self.unusable.add(name)

    def is_unusable(self, name: str) -> bool:
        return self.unusable is not None and name in self.unusable

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)

    @property
    def row_file(self) -> str:
        return self.rows_file or self.file


@dataclass
class Attachment:
    """One checked attachment. `source` and `text` stay in the build; the rest may be published."""

    path: str  # as written, relative to the record file's folder
    title: str
    confidential: bool
    file_type: str  # pdf | docx | xlsx | ofd
    size: int  # bytes of the file in content/
    sha256: str  # of the file in content/
    source: Path
    file: str  # the source as the site root names it (content/…), for messages
    text: str

    @property
    def name(self) -> str:
        """The file's name on the site, beside the record page: unique within the record."""
        return PurePosixPath(self.path).name

    def hash_data(self) -> dict[str, Any]:
        """What the publication log's record hash covers: a new file or a new title is an update."""
        return {"path": self.path, "title": self.title, "type": self.file_type, "sha256": self.sha256}



@dataclass
class Record:
    """A validated record: typed values, indicator rows, and where it came from (never published)."""

    kind: str
    fields: dict[str, Any]
    rows: list[dict[str, Any]]
    origin: Origin
    withheld: list[str] = field(default_factory=list)
    attachments: tuple[Attachment, ...] = ()

    @property
    def id(self) -> str:
        return self.fields["id"]

    @property
    def confidential(self) -> bool:
        return bool(self.fields.get("confidential"))


@dataclass
class PublicRecord:
    """What may be published: no confidential rows, no withheld or personal values, no origin.

    `withheld` names the fields whose place shows 依法不予公开; their values are not here.
    """

    kind: str
    fields: dict[str, Any]
    rows: list[dict[str, Any]]
    withheld: list[str]
    # Public attachments only (not confidential, of a public record); shipped beside the record page.
    attachments: tuple[Attachment, ...] = ()

    @property
    def id(self) -> str:
        return self.fields["id"]

    @property
    def dept(self) -> str:
        return self.fields["dept"]

    @property
    def year(self) -> int:
        return self.fields["year"]


@dataclass
class RawRecord:
    """A record as read (stage 1): values still text as written, with where each came from."""

    kind: str
    values: dict[str, Any]
    rows: list[dict[str, Any]]
    origin: Origin


@dataclass
class Loaded:
    """Everything stage 1 read under content/, for validation."""

    records: list[RawRecord]
    departments: list[dict[str, Any]]
    department_lines: list[int]
    problems: Problems
    files: int = 0
    # Attachments are files beside the records: validation reads them from `root` with these settings.
    root: Path | None = None
    attachments: Any = None
    limits: Any = None  # config.Limits: the amount bound and problems listed per file, for validation


def project_key(fields: dict[str, Any]) -> tuple[str, str] | None:
    """How one project's records link across kinds and years: its code, else department + project name."""
    import unicodedata

    if fields.get("project_code"):
        return ("code", fields["project_code"])
    if fields.get("project_name"):
        name = "".join(unicodedata.normalize("NFKC", str(fields["project_name"])).split())
        return ("name", f"{fields.get('dept')}\x00{name}")
    return None
