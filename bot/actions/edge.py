"""The outer edge of an action: a failure is logged and answered kindly."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

A = TypeVar("A", bound=Action)
Run = Callable[
    [A, CollectingDispatcher, Tracker, DomainDict], Awaitable[list[EventType]]
]


def answers_gracefully(run: Run[A]) -> Run[A]:
    """Wrap an action's run so an unexpected error never reaches the visitor.

    The transcript keeps everything the visitor said, so nothing is lost; the
    visitor is told that a person will follow up.
    """

    @functools.wraps(run)
    async def guarded(
        action: A,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        try:
            return await run(action, dispatcher, tracker, domain)
        except Exception:
            logger.exception("action.failed action=%s", action.name())
            dispatcher.utter_message(response="utter_technical_problem")
            return []

    return guarded
