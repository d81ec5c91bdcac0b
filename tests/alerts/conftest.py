"""Fixtures of the alert-engine tests (helpers live in alertkit.py)."""

import pytest

from alertkit import Harness


@pytest.fixture
def harness():
    return Harness()
