"""Shared test set-up: the repo root on sys.path and the location of ../shared."""

import sys
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_DIR.parent / "shared"
REFERENCE_ARTICLE = SHARED_DIR / "seeds" / "000_26906fedaeeecc1d.txt"

if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))


@pytest.fixture(scope="session")
def reference_article_path() -> Path:
    if not REFERENCE_ARTICLE.exists():
        pytest.fail(f"reference article missing at {REFERENCE_ARTICLE} (../shared must sit beside the repo)")
    return REFERENCE_ARTICLE
