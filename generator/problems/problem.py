"""Validation problems as data: every stage reports through these objects.

The CLI, the JSON output, review comments and the tests all read the same `Problem`; the Chinese
wording lives in `messages.CATALOGUE`, keyed by `code`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from typing import Any

from generator.problems.messages import CATALOGUE, SEVERITY


@dataclass(frozen=True)
class Problem:
    code: str
    file: str = ""
    line: int | None = None
    field: str = ""
    field_title: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict)

    @property
    def severity(self) -> str:
        return SEVERITY.get(self.code, "error")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def label(self) -> str:
        return "错误" if self.is_error else "提示"

    @property
    def message(self) -> str:
        template = CATALOGUE[self.code]
        return template.format(**{k: _text(v, k) for k, v in self.params.items()})

    @property
    def where(self) -> str:
        loc = self.file or "（未知文件）"
        if self.line:
            loc += f":{self.line}"
        return loc

    def render(self) -> str:
        label = self.label
        # Problems of the whole build (the guard, MkDocs, the disk) belong to no one file.
        head = f"{self.where}: {label}" if self.file else label
        if self.field:
            # The title first, as on the form; the name in brackets only when it says something more.
            title = self.field_title or self.field
            head += f"：字段“{title}”" + (f"（{self.field}）" if title != self.field else "")
        return f"{head}：{self.message}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["params"] = {k: _text(v, k) for k, v in self.params.items()}
        data["severity"] = self.severity
        data["message"] = self.message
        return data


def titled(names: list[str], title_of: Callable[[str], str | None]) -> list[str]:
    """Field names as a message lists them: `approved_on（批复日期）`, the name alone when it has no title."""
    out = []
    for name in names:
        title = title_of(name)
        out.append(f"{name}（{title}）" if title and title != name else name)
    return out


# A value quoted in a message is cut to an excerpt: a whole file's text (a CSV cell of 100,000 characters,
# a file reached through a link) must not flood a terminal or a pull request's CI log. Parameters that
# quote what an editor wrote get a short excerpt; the others (lists of allowed values, details) a longer one.
EXCERPT = 80
LONG_EXCERPT = 400
LIST_EXCERPT = 4000  # lists are mostly ours (allowed fields with their titles, known departments)
QUOTED = frozenset({"value", "actual", "logged", "label", "key", "name", "cell", "id", "path", "target",
                    "operator", "score", "total", "sum", "numerator", "denominator", "later", "earlier"})


def excerpt(text: str, limit: int = EXCERPT) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text)} 个字符）"


def _text(value: Any, key: str = "") -> str:
    if isinstance(value, (list, tuple, set)):
        return excerpt("、".join(excerpt(str(v)) for v in value), LIST_EXCERPT)
    return excerpt(str(value), EXCERPT if key in QUOTED else LONG_EXCERPT)


class Problems(list):
    """A list of Problem with the questions callers ask of it."""

    def add(self, code: str, file: str = "", line: int | None = None, field: str = "",
            field_title: str = "", **params: Any) -> None:
        self.append(Problem(code, str(file), line, field, field_title, params))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if not p.is_error]

    def sorted(self) -> list[Problem]:
        return sorted(self, key=lambda p: (p.file, p.line or 0, p.field, p.code))

    def raise_errors(self) -> None:
        """Stop here when any problem is an error: BuildError with all of them (warnings too), sorted."""
        if self.errors:
            raise BuildError(self.sorted())


def capped(problems: list[Problem], limit: int) -> Problems:
    """At most `limit` problems of one code per file, then one "另有 N 个同类问题": a header with a million
    stray columns or a table whose every row is wrong gives a readable list, not hundreds of megabytes."""
    from collections import Counter

    counts: Counter = Counter()
    last_line: dict[tuple[str, str], int | None] = {}
    out = Problems()
    for p in problems:
        key = (p.file, p.code)
        counts[key] += 1
        if counts[key] <= limit:
            out.append(p)
            last_line[key] = p.line
    for (file, code), n in counts.items():
        if n > limit:
            summary = "more_problems" if SEVERITY.get(code, "error") == "error" else "more_warnings"
            out.add(summary, file, last_line[(file, code)], count=n - limit, kind=code, limit=limit)
    return out


class BuildError(Exception):
    """A stage found problems it cannot go past; the CLI prints them and exits 1."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.render() for p in problems[:5]))
        self.problems = list(problems)

    def __reduce__(self):
        # Raised in a worker process (record pages, load), it crosses back with its problems intact.
        return (BuildError, (self.problems,))

    @classmethod
    def one(cls, code: str, file: str = "", line: int | None = None, **params: Any) -> BuildError:
        """A BuildError of a single problem, the common case."""
        problems = Problems()
        problems.add(code, file, line, **params)
        return cls(problems)
