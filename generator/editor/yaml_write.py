"""Writing records as YAML editors can read: Chinese as is, one field a line, codes and targets quoted
so that no tool turns "150000261000000101" or "95" into a number, long text as a literal block.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

STR_TAG = "tag:yaml.org,2002:str"


class Quoted(str):
    """A value that must stay text whatever it looks like: codes, indicator values."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # List items indented under their key, as editors write them (and as the guide shows).
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar(STR_TAG, value, style="|")
    implicit = dumper.resolve(yaml.ScalarNode, value, (True, False))
    if isinstance(value, Quoted) or implicit != STR_TAG:
        return dumper.represent_scalar(STR_TAG, value, style='"')
    return dumper.represent_scalar(STR_TAG, value)


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value.normalize(), "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Quoted, _str)
_Dumper.add_representer(Decimal, _decimal)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100000,
                     default_flow_style=False, indent=2)


def scalar(value: Any) -> str:
    """One value as it would follow `key: ` (empty for None, [] for an empty list)."""
    if value is None:
        return ""
    if isinstance(value, list) and not value:
        return "[]"
    text = yaml.dump({"k": value}, Dumper=_Dumper, allow_unicode=True, width=100000, default_flow_style=True)
    return text.strip()[1:-1].strip()[2:].strip()

