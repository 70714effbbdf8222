"""Tests for need extraction and trial detection."""

from __future__ import annotations

import pytest

from .conftest import Extract

CATEGORIES = [
    (
        "we're losing deals because our reps follow up too slowly",
        "sales-automation",
        True,
    ),
    (
        "we need more qualified leads from our website visitors",
        "lead-generation",
        False,
    ),
    ("our support team is drowning in tickets", "customer-support", False),
    (
        "we want to score and route inbound leads automatically",
        "lead-qualification",
        False,
    ),
    ("we need it to sync leads to Salesforce", "integration", False),
    ("our conversion rate is terrible, urgent", "lead-generation", True),
    ("new users drop off during onboarding", "onboarding", False),
    ("we need better dashboards and attribution", "analytics", False),
    ("churn is our biggest problem", "customer-retention", False),
]


@pytest.mark.parametrize(
    ("text", "category", "urgent"), CATEGORIES, ids=[r[0] for r in CATEGORIES]
)
def test_need_category_and_urgency(
    extract: Extract, text: str, category: str, urgent: bool
) -> None:
    need = extract(text).need

    assert need is not None
    assert (need.category, need.urgent) == (category, urgent)
    assert need.pain == text


@pytest.mark.parametrize(
    "text",
    [
        "hi, I want a demo",
        "hello",
        "pricing?",
        "can I get a demo",
        "what does it cost?",
    ],
)
def test_need_opening_messages_state_no_need(extract: Extract, text: str) -> None:
    assert extract(text).need is None


def test_need_expected_takes_whole_message_as_pain(extract: Extract) -> None:
    text = "honestly our website just sits there doing nothing"

    need = extract(text, "need").need

    assert need is not None
    assert (need.category, need.pain) == (None, text)


def test_need_pain_is_the_sentence_with_the_signal(extract: Extract) -> None:
    need = extract("Hi there. We need more leads from the site. Thanks!").need

    assert need is not None
    assert need.pain == "We need more leads from the site"


TRIALS = [
    "we're on your free trial",
    "been trialing it for a week",
    "our trial ends Friday",
    "I signed up for the free trial last week",
]


@pytest.mark.parametrize("text", TRIALS, ids=TRIALS)
def test_need_trial_is_detected(extract: Extract, text: str) -> None:
    assert extract(text).trial is not None


NOT_TRIALS = [
    "do you have a free trial?",
    "I want a free trial",
    "is there a trial period",
]


@pytest.mark.parametrize("text", NOT_TRIALS, ids=NOT_TRIALS)
def test_need_trial_questions_are_not_a_trial(extract: Extract, text: str) -> None:
    assert extract(text).trial is None
