"""The plain data the stages hand each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.source.load import Origin

if TYPE_CHECKING:
    from generator.source.attachments import Attachment


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
