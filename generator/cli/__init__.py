"""The `disclose` command: thin click wrappers over the stages. `base` holds the group and the shared
options; each module registers its commands on it."""

from generator.cli import (  # noqa: F401 (registration)
    build,
    compliance,
    deploy,
    editor,
    inspect,
    log,
    platform,
    review,
    serve,
    synth,
    validate,
)
from generator.cli.base import main
from generator.cli.chinese import install, localise

install()
localise(main)

__all__ = ["main"]
