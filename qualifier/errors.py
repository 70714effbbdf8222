"""Exceptions raised by the qualifier package.

Every error the package raises on purpose derives from ``QualifierError``, so
an outer edge (an action, a request handler) can catch the package's failures
without catching programming errors.
"""

from __future__ import annotations

from pathlib import Path


class QualifierError(Exception):
    """Base of every error the qualifier package raises on purpose."""


class ProfileError(QualifierError):
    """Raised when a scoring profile file is missing, unreadable or invalid.

    Attributes:
        path: The profile file that failed to load.
        key: The dotted key that holds the bad value, when one does.
    """

    def __init__(self, message: str, *, path: Path, key: str | None = None) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.key = key


class BookingConfigError(QualifierError):
    """Raised when the availability config is missing, unreadable or invalid.

    Attributes:
        path: The config file that failed to load, when there is one.
        key: The key that holds the bad value, when one does.
    """

    def __init__(
        self, message: str, *, path: Path | None = None, key: str | None = None
    ) -> None:
        super().__init__(f"{path}: {message}" if path is not None else message)
        self.path = path
        self.key = key


class WebhookPayloadError(QualifierError):
    """Raised when a handoff payload cannot be encoded as strict JSON."""


class SettingsError(QualifierError):
    """Raised when an environment setting has a value that cannot be used."""


class StoreError(QualifierError):
    """Raised when the lead store cannot be opened, migrated or written."""


class SlotTakenError(QualifierError):
    """Raised when a meeting slot was booked by another conversation first."""
