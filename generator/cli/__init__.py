"""The `disclose` command: thin click wrappers over the stages. `base` holds the group and the shared
options; each module registers its commands on it."""

from generator.cli import build, compliance, editor, log, review, serve, synth, validate  # noqa: F401 (registration)
from generator.cli.base import main

__all__ = ["main"]
