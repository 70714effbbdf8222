"""The embeddable chat widget: its script, demo page and gateway routes."""

from __future__ import annotations

from bot.widget.config import Limits, WidgetConfig, load_widget_config
from bot.widget.gateway import post_rep_message, setup_widget

__all__ = [
    "Limits",
    "WidgetConfig",
    "load_widget_config",
    "post_rep_message",
    "setup_widget",
]
