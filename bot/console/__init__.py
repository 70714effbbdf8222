"""The sales-rep console: leads, transcripts, outcomes, dashboard and JSON API."""

from __future__ import annotations

from bot.console.app import setup_console

__all__ = ["setup_console"]
