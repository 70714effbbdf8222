"""Fixtures shared by every test package."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from qualifier.store import LeadStore

POSTGRES_URL_VAR = "LEADLINE_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_VAR = "LEADLINE_REQUIRE_POSTGRES"


@pytest.fixture
def sqlite_store(tmp_path: Path) -> LeadStore:
    """Return a migrated store in a fresh SQLite file."""
    store = LeadStore.connect(f"sqlite:///{tmp_path}/leads.db")
    store.migrate()
    return store


@pytest.fixture
def postgres_store() -> Iterator[LeadStore]:
    """Return a migrated store in a fresh schema of the test PostgreSQL server.

    Skips when no server is configured, and fails instead when CI requires
    the PostgreSQL tests (LEADLINE_REQUIRE_POSTGRES=1).
    """
    url = os.environ.get(POSTGRES_URL_VAR)
    required = os.environ.get(REQUIRE_POSTGRES_VAR) == "1"
    if not url:
        if required:
            pytest.fail(f"{REQUIRE_POSTGRES_VAR}=1 but {POSTGRES_URL_VAR} is not set")
        pytest.skip(f"set {POSTGRES_URL_VAR} to run the PostgreSQL store tests")

    schema = f"leadline_test_{secrets.token_hex(4)}"
    admin = create_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        if required:
            pytest.fail(f"PostgreSQL at {url} is required but unreachable: {exc.orig}")
        pytest.skip(f"PostgreSQL at {url} is unreachable")

    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    store = LeadStore(engine)
    store.migrate()
    yield store

    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> LeadStore:
    """Return a migrated store on each supported database."""
    fixture = "sqlite_store" if request.param == "sqlite" else "postgres_store"
    store: LeadStore = request.getfixturevalue(fixture)
    return store
