"""Shared test set-up: offscreen Qt, the shipped content, a hand-stepped clock."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before any Qt import: tests never need a display (the Xvfb test starts its own).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KIOSK_NO_ANALYTICS", "1")

REPO = Path(__file__).resolve().parent.parent
SHIPPED_CONTENT = REPO / "content.yaml"


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def shipped_content_path() -> Path:
    return SHIPPED_CONTENT
