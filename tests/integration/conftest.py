"""Fixtures for the end-to-end tests."""

from pathlib import Path

import pytest


@pytest.fixture
def warehouse_path(tmp_path) -> Path:
    return tmp_path / "wh" / "ikrar.duckdb"
