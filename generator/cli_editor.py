"""Commands registered on `disclose` by this module."""

from .cli import main  # noqa: F401
