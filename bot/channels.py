"""The REST channel, extended to pass the widget's page context along.

Loaded by the Rasa server (its own Python 3.10 environment), so it imports
only Rasa and the standard library.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.request import Request

MAX_METADATA_KEYS = 32


class MetadataRestInput(RestInput):
    """REST input that forwards the ``metadata`` object of each message."""

    @classmethod
    def name(cls) -> str:
        """Name the webhook path: ``/webhooks/rest_meta/webhook``."""
        return "rest_meta"

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """Return the message's metadata object, if it sent a small one."""
        body = request.json if isinstance(request.json, dict) else {}
        metadata = body.get("metadata")
        if not isinstance(metadata, dict) or len(metadata) > MAX_METADATA_KEYS:
            return None

        return metadata
