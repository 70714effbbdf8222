"""Shared fixtures for the qualifier tests: one loaded Extractor per session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from qualifier.extract import Extractor
from qualifier.facts import Extraction, MessageContext
from qualifier.lexicon import Lexicon, load_lexicon

# A fixed "now": Friday 4 December 2026, noon UTC.
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=ZoneInfo("UTC"))
UTC = ZoneInfo("UTC")

Extract = Callable[..., Extraction]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """Load the model and rule files once for the whole test session."""
    return Extractor.load()


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    """Load the packaged rule files."""
    return load_lexicon()


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Extract:
    """Extract from text at NOW in UTC, optionally with an expected slot."""

    def run(text: str, expected: str | None = None, now: datetime = NOW) -> Extraction:
        return extractor.extract(
            text, MessageContext(now=now, tz=UTC, expected=expected)
        )

    return run
