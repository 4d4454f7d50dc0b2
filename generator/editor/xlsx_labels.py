"""Every heading the importer knows, as one set: a cell holding one of them is a label of the form,
never a value. The guard that keeps 资金总额, 年度目标 or a repeated 三级指标 out of a record's fields
and indicator rows, whichever form family the sheet is and whichever field the cell sits beside.
"""

from __future__ import annotations

from generator.editor.xlsx_layouts import IMPORTABLE, SPECIAL, STRUCTURAL, TOTALS, norm, record_labels, row_labels
from generator.editor.xlsx_rows import BLOCKS, COLUMN_ALIASES
from generator.editor.xlsx_table import NAME_HEADS, TARGET_HEADS
from generator.model import funding as fund
from generator.model.catalog import Catalog

LEVEL_HEADS = ("一级指标", "二级指标", "三级指标", "绩效指标", "年度绩效指标")
# Funding corner headings (项目, 资金, 来源 …) are ordinary words too: only the amount columns count.
_FUNDING_TEXT_KEYS = ("source", "group")


_CACHE: dict[int, tuple[Catalog, frozenset[str]]] = {}


def _keys(catalog: Catalog) -> frozenset[str]:
    cached = _CACHE.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    keys: set[str] = set(STRUCTURAL) | set(TOTALS) | set(NAME_HEADS) | set(TARGET_HEADS) | set(LEVEL_HEADS)
    keys |= {norm(label) for label in SPECIAL}
    for name in IMPORTABLE:
        kind = catalog.kinds.get(name)
        if kind is None:
            continue
        keys |= set(record_labels(kind)) | set(row_labels(catalog, kind))
        for spec in kind.fields:
            if spec.get("x-structure") == "rows":
                keys |= {norm(title) for _, title in spec.get("x-columns") or []} | {norm(spec["title"])}
    for field_aliases in COLUMN_ALIASES.values():
        keys |= {norm(word) for words in field_aliases.values() for word in words}
    keys |= {norm(word) for words in BLOCKS.values() for word in words}
    for key, labels in (catalog.funding.get("columns") or {}).items():
        if key not in _FUNDING_TEXT_KEYS:
            keys |= {norm(fund.clean_label(label)) for label in labels}
    keys.discard("")
    if len(_CACHE) > 8:  # a long-lived process (serve) loads a catalog per build: keep the recent few
        _CACHE.clear()
    _CACHE[id(catalog)] = (catalog, frozenset(keys))
    return _CACHE[id(catalog)][1]


def is_label(text: str, catalog: Catalog) -> bool:
    """A cell's text is one of the form's headings (after the usual folding: 其中：, brackets, spaces)."""
    return norm(text) in _keys(catalog)
