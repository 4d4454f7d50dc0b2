"""Fixtures shared by every test module."""

from __future__ import annotations

import pytest

from tests.example import ExampleBuild, build_example


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> ExampleBuild:
    """The example site built once per session. Read it; copy it before changing anything."""
    return build_example(tmp_path_factory.mktemp("example-build"))
