"""Keys under which the console keeps its services on apps and requests."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from aiohttp import web

from qualifier.store import LeadStore
from qualifier.transcripts import TranscriptReader
from qualifier.users import Accounts, SignedIn


@dataclass(frozen=True)
class ConsoleConfig:
    """How the console behaves in this deployment.

    Attributes:
        public_url: Base URL of the web app; POSTs must come from its origin.
        poll_interval: Seconds between store polls of the live event stream.
        stream_lifetime: Seconds after which a live stream closes; browsers
            reconnect on their own, so no stream is held forever.
        page_size: Leads per page when the request names none.
    """

    public_url: str
    poll_interval: float = 2.0
    stream_lifetime: float = 300.0
    page_size: int = 25

    @property
    def secure_cookies(self) -> bool:
        """Whether cookies must only travel over HTTPS."""
        return self.public_url.startswith("https://")


STORE = web.AppKey("console_store", LeadStore)
ACCOUNTS = web.AppKey("console_accounts", Accounts)
TRANSCRIPTS = web.AppKey("console_transcripts", TranscriptReader)
TEMPLATES = web.AppKey("console_templates", jinja2.Environment)
CONFIG = web.AppKey("console_config", ConsoleConfig)
SIGNED_IN = web.RequestKey("console_signed_in", SignedIn)
API_TOKEN_ID = web.RequestKey("console_api_token_id", int)
