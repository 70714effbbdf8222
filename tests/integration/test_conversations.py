"""Realistic conversations with the trained assistant, checked in the lead store.

Each visitor is a persona: what they say first, and how they answer each
question the assistant asks. The test follows whichever question the assistant
actually asks, so it also checks that a known value is never asked again.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from qualifier.models import Lead
from tests.integration.conftest import WEBHOOK_SECRET, Assistant

pytestmark = pytest.mark.integration

_ids = itertools.count(1)

WARM_ANSWERS: dict[str, Any] = {
    "need": "our sales reps waste hours on leads that never buy",
    "company_size": "we're about 40 people",
    "budget": "around 15k a year",
    "authority": "I'm the marketing manager, I'd have to run it by my boss",
    "timing": "within 6 months",
    "consent": "yes that's fine",
    "contact_name": "Maria Lopez",
    "contact_email": "maria.lopez@brightwave.io",
    "company": "Brightwave",
}
HOT_ANSWERS: dict[str, Any] = {
    **WARM_ANSWERS,
    "need": "inbound leads pile up and we lose deals because nobody qualifies them",
    "company_size": "around 250 employees",
    "budget": "about 80k per year",
    "authority": "I'm the CEO and I sign off on this",
    "timing": "asap",
}
COLD_ANSWERS: dict[str, Any] = {
    **WARM_ANSWERS,
    "need": "we get a handful of website leads and want to follow up better",
    "company_size": "it's just me",
    "budget": "no budget yet",
    "authority": "I'm an intern gathering info for my manager",
    "timing": "no rush, just researching",
    "contact_email": "curious.cat@gmail.com",
}


@dataclass
class Conversation:
    """What happened in one conversation."""

    sender: str
    asked: list[str] = field(default_factory=list)
    replies: list[list[dict[str, Any]]] = field(default_factory=list)

    @property
    def last(self) -> str:
        """Return the text of the assistant's latest replies."""
        return " ".join(reply.get("text", "") for reply in self.replies[-1])

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Return the buttons of the assistant's latest replies."""
        return [b for reply in self.replies[-1] for b in reply.get("buttons") or []]


def new_sender(label: str) -> str:
    """Return a fresh sender id, so each test is a new visitor."""
    return f"it-{label}-{next(_ids)}"


def requested_slot(assistant: Assistant, sender: str) -> str | None:
    """Return the question the assistant has open, if any."""
    tracker = assistant.tracker(sender)
    if (tracker.get("active_loop") or {}).get("name") != "qualification_form":
        return None

    slot: str | None = tracker["slots"].get("requested_slot")
    return slot


def answer_questions(
    assistant: Assistant,
    chat: Conversation,
    answers: Mapping[str, Any],
    metadata: dict[str, Any] | None = None,
    max_turns: int = 20,
    until: str | None = None,
) -> Conversation:
    """Answer the form's questions until it is done or asks ``until``."""
    pending = {
        slot: list(v) if isinstance(v, list) else [v] for slot, v in answers.items()
    }
    for _ in range(max_turns):
        slot = requested_slot(assistant, chat.sender)
        if slot is None or slot == until:
            return chat

        chat.asked.append(slot)
        queue = pending[slot]
        text = queue.pop(0) if len(queue) > 1 else queue[0]
        chat.replies.append(assistant.say(chat.sender, text, metadata))

    pytest.fail(f"the form still asks after {max_turns} turns: {chat.asked}")


def start(
    assistant: Assistant,
    label: str,
    opener: str,
    metadata: dict[str, Any] | None = None,
) -> Conversation:
    """Open a conversation with a first message."""
    chat = Conversation(new_sender(label))
    chat.replies.append(assistant.say(chat.sender, opener, metadata))
    return chat


def say(
    assistant: Assistant,
    chat: Conversation,
    text: str,
    metadata: dict[str, Any] | None = None,
) -> str:
    """Send a message and return the assistant's reply text."""
    chat.replies.append(assistant.say(chat.sender, text, metadata))
    return chat.last


def qualify(
    assistant: Assistant,
    label: str,
    answers: Mapping[str, Any],
    opener: str = "Hi, I'd like a demo of Leadline",
    metadata: dict[str, Any] | None = None,
) -> Conversation:
    """Run a visitor through the questions and confirm the summary."""
    chat = start(assistant, label, opener, metadata)
    answer_questions(assistant, chat, answers, metadata)
    assert "Here's what I understood" in chat.last
    say(assistant, chat, "yes, that's right", metadata)
    return chat


def lead_of(assistant: Assistant, chat: Conversation) -> Lead:
    """Return the stored lead of a conversation."""
    lead = assistant.store.get_lead(chat.sender)
    assert lead is not None, f"no lead stored for {chat.sender}"
    return lead


def answers_by_dimension(lead: Lead) -> dict[str, Any]:
    """Return the newest stored answer per dimension."""
    return {answer.dimension: answer for answer in lead.answers}


def book_first_offer(assistant: Assistant, chat: Conversation) -> str:
    """Pick the first offered demo slot and return the confirmation."""
    slots = [b for b in chat.buttons if b["payload"][:1].isdigit()]
    assert slots, f"no demo slots offered: {chat.last!r}"
    return say(assistant, chat, slots[0]["payload"])


# The happy paths -----------------------------------------------------------


def test_warm_lead_answers_everything_and_books_a_demo(assistant: Assistant) -> None:
    chat = qualify(assistant, "warm", WARM_ANSWERS)

    assert "find a time for a demo" in chat.last
    confirmation = book_first_offer(assistant, chat)

    assert "You're booked for" in confirmation
    lead = lead_of(assistant, chat)
    assert lead.tier == "warm"
    assert lead.status == "qualified"
    assert lead.email == "maria.lopez@brightwave.io"
    assert lead.name == "Maria Lopez"
    assert lead.company == "Brightwave"
    assert lead.consent_version and lead.consent_at
    assert len(lead.bookings) == 1
    assert f"/bookings/{lead.bookings[0].token}.ics" in confirmation
    assert chat.asked == [
        "need",
        "company_size",
        "budget",
        "authority",
        "timing",
        "consent",
        "contact_name",
        "contact_email",
        "company",
    ]


def test_every_bant_answer_is_stored_with_the_visitors_words(
    assistant: Assistant,
) -> None:
    chat = qualify(assistant, "evidence", WARM_ANSWERS)

    answers = answers_by_dimension(lead_of(assistant, chat))

    assert answers["need"].message == WARM_ANSWERS["need"]
    assert answers["budget"].value["min"] == 15000
    assert answers["budget"].message == WARM_ANSWERS["budget"]
    assert answers["authority"].value["decision_role"] == "influencer"
    assert answers["timing"].value["status"] == "known"
    assert answers["company_size"].value["employees"] == 40


def test_several_values_in_one_message_are_all_kept(assistant: Assistant) -> None:
    opener = (
        "We're a 200-person SaaS company, I'm the CTO and I make the call, "
        "budget is around 60k a year and we need it live within 3 months"
    )
    chat = start(assistant, "multi", opener)
    answer_questions(assistant, chat, HOT_ANSWERS)

    assert not {"company_size", "budget", "authority", "timing"} & set(chat.asked)
    answers = answers_by_dimension(lead_of(assistant, chat))
    assert answers["budget"].value["min"] == 60000
    assert answers["authority"].value["decision_role"] == "decision-maker"
    assert answers["company_size"].value["employees"] == 200
    assert answers["company_size"].message == opener


def test_out_of_order_answer_is_kept_and_not_asked_again(assistant: Assistant) -> None:
    answers = {
        **WARM_ANSWERS,
        "need": ["we have about 30k a year for this", WARM_ANSWERS["need"]],
    }
    chat = start(assistant, "order", "can I get a demo")

    answer_questions(assistant, chat, answers)

    assert chat.asked.count("need") == 2
    assert "budget" not in chat.asked
    budget = answers_by_dimension(lead_of(assistant, chat))["budget"]
    assert budget.value["min"] == 30000


def test_correction_at_the_summary_replaces_the_value(assistant: Assistant) -> None:
    chat = start(assistant, "correct", "I'd like a demo")
    answer_questions(assistant, chat, WARM_ANSWERS)

    assert "What should I change" in say(assistant, chat, "no, that's not right")
    assert "Here's what I understood" in say(
        assistant, chat, "sorry, the budget is actually closer to 80k a year"
    )
    say(assistant, chat, "yes")

    lead = lead_of(assistant, chat)
    budgets = [a.value.get("min") for a in lead.answers if a.dimension == "budget"]
    assert budgets == [15000, 80000]
    assert lead.facts["budget"]["min"] == 80000


# Interruptions --------------------------------------------------------------


def test_why_question_is_explained_then_asked_again(assistant: Assistant) -> None:
    chat = start(assistant, "why", "I'd like a demo")
    answer_questions(assistant, chat, WARM_ANSWERS, until="budget")

    say(assistant, chat, "why do you need to know my budget?")

    assert "rough budget helps" in chat.last
    assert "budget in mind" in chat.last
    assert requested_slot(assistant, chat.sender) == "budget"


def test_not_sure_is_recorded_as_unknown_and_the_flow_moves_on(
    assistant: Assistant,
) -> None:
    chat = qualify(assistant, "unsure", {**WARM_ANSWERS, "budget": "not sure honestly"})

    assert chat.asked.count("budget") == 1
    budget = answers_by_dimension(lead_of(assistant, chat))["budget"]
    assert budget.value["status"] == "unknown"


def test_no_budget_yet_is_recorded_as_none(assistant: Assistant) -> None:
    chat = qualify(assistant, "nobudget", {**WARM_ANSWERS, "budget": "no budget yet"})

    budget = answers_by_dimension(lead_of(assistant, chat))["budget"]
    assert budget.value["status"] == "none"


def test_two_unclear_answers_offer_choices_then_move_on(assistant: Assistant) -> None:
    answers = {**WARM_ANSWERS, "timing": ["purple elephants", "bananas are yellow"]}
    chat = start(assistant, "unclear", "demo please")

    answer_questions(assistant, chat, answers)

    assert chat.asked.count("timing") == 2
    timing_prompts = [
        r
        for r in chat.replies
        if any("time frame is closest" in m.get("text", "") for m in r)
    ]
    assert len(timing_prompts) == 1
    assert all(len([m for m in r if m.get("buttons")]) <= 1 for r in chat.replies)


def test_faq_mid_flow_is_answered_then_the_question_resumes(
    assistant: Assistant,
) -> None:
    chat = start(assistant, "faq", "I'd like a demo")
    answer_questions(assistant, chat, WARM_ANSWERS, until="company_size")

    say(assistant, chat, "does it integrate with hubspot?")

    assert "HubSpot" in chat.last
    assert "How many people" in chat.last


def test_off_topic_mid_flow_is_declined_then_the_question_resumes(
    assistant: Assistant,
) -> None:
    chat = start(assistant, "offtopic", "I'd like a demo")
    answer_questions(assistant, chat, WARM_ANSWERS, until="company_size")

    say(assistant, chat, "what's the weather like in paris today")

    assert "can't help with that" in chat.last
    assert "how big is your company" in chat.last
    assert requested_slot(assistant, chat.sender) == "company_size"


def test_bot_challenge_mid_flow_is_answered_honestly(assistant: Assistant) -> None:
    chat = start(assistant, "bot", "I'd like a demo")
    answer_questions(assistant, chat, WARM_ANSWERS, until="company_size")

    say(assistant, chat, "wait, am I talking to a bot?")

    assert "automated assistant" in chat.last


# Handoff ----------------------------------------------------------------------


def test_asking_for_a_person_hands_off_and_pauses_the_bot(assistant: Assistant) -> None:
    chat = start(assistant, "human", "I'd like a demo")
    answer_questions(assistant, chat, WARM_ANSWERS, until="budget")

    say(assistant, chat, "can I talk to a real person please")

    assert "bringing in someone" in chat.last
    lead = lead_of(assistant, chat)
    assert lead.status == "handed-off"
    assert [h.reason for h in lead.handoffs] == ["visitor-asked"]
    assert say(assistant, chat, "hello? anyone there?") == ""
    assert assistant.tracker(chat.sender)["paused"] is True
    assert_webhook_received(assistant, chat.sender, "visitor-asked")


def test_hot_lead_is_offered_a_rep_and_handed_off(assistant: Assistant) -> None:
    chat = qualify(assistant, "hot", HOT_ANSWERS)

    assert "sales rep is available" in chat.last
    assert "bringing in someone" in say(assistant, chat, "yes, connect me")
    lead = lead_of(assistant, chat)
    assert lead.tier == "hot"
    assert [h.reason for h in lead.handoffs] == ["hot-lead"]
    assert_webhook_received(assistant, chat.sender, "hot-lead")


def test_hot_lead_declining_the_rep_books_a_demo(assistant: Assistant) -> None:
    chat = qualify(assistant, "hotbook", HOT_ANSWERS)

    say(assistant, chat, "no thanks")
    assert "You're booked for" in book_first_offer(assistant, chat)
    assert len(lead_of(assistant, chat).bookings) == 1


def assert_webhook_received(assistant: Assistant, sender: str, reason: str) -> None:
    matching = [
        r
        for r in assistant.webhook.received
        if r["body"]["lead"]["sender_id"] == sender
    ]
    assert len(matching) == 1
    received = matching[0]
    assert received["body"]["reason"] == reason
    timestamp, signature = (
        part.split("=", 1)[1] for part in received["signature"].split(",")
    )
    expected = hmac.new(
        WEBHOOK_SECRET.encode(),
        f"{timestamp}.".encode() + received["raw"],
        hashlib.sha256,
    ).hexdigest()
    assert hmac.compare_digest(signature, expected)


# Cold leads and visitors who are not leads ----------------------------------------


def test_cold_lead_gets_resources_and_agrees_to_follow_up(assistant: Assistant) -> None:
    chat = qualify(assistant, "coldyes", COLD_ANSWERS)

    assert "follow-up" in chat.last
    say(assistant, chat, "yes please")

    lead = lead_of(assistant, chat)
    assert lead.tier == "cold"
    assert lead.followup_consent is True
    assert lead.bookings == []


def test_cold_lead_can_refuse_the_follow_up(assistant: Assistant) -> None:
    chat = qualify(assistant, "coldno", COLD_ANSWERS)

    say(assistant, chat, "no thanks")

    assert lead_of(assistant, chat).followup_consent is False


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("I'm a student writing my thesis about sales chatbots", "student"),
        ("are you hiring? I'd love to apply for a sales role", "job-seeker"),
        (
            "we're an SEO agency and would love to pitch our services to you",
            "vendor-pitch",
        ),
    ],
    ids=["student", "job-seeker", "vendor"],
)
def test_not_a_fit_is_closed_politely_and_stored_disqualified(
    assistant: Assistant, message: str, reason: str
) -> None:
    chat = start(assistant, "nofit", "hi")
    say(assistant, chat, message)

    assert "Thanks" in chat.last
    lead = lead_of(assistant, chat)
    assert lead.tier == "disqualified"
    assert lead.disqualified_reason == reason


def test_existing_customer_is_routed_to_support_not_stored_as_lead(
    assistant: Assistant,
) -> None:
    chat = start(assistant, "support", "hello")
    say(
        assistant,
        chat,
        "we're already customers and the widget stopped loading on our site",
    )

    assert "support" in chat.last
    lead = assistant.store.get_lead(chat.sender)
    assert lead is None or lead.status == "support"


# Consent, context and scoring ---------------------------------------------------


def test_refused_consent_keeps_contact_details_out_of_the_store(
    assistant: Assistant,
) -> None:
    chat = qualify(assistant, "noconsent", {**WARM_ANSWERS, "consent": "no thanks"})

    assert "contact_email" not in chat.asked
    lead = lead_of(assistant, chat)
    assert lead.email is None and lead.name is None
    assert lead.consent_at is None
    assert lead.tier == "warm"


def test_page_context_is_stored_and_counts_in_the_score(assistant: Assistant) -> None:
    metadata = {
        "page_url": "https://leadline.example/pricing?utm_source=partner",
        "referrer": "https://partner.example/blog",
        "utm": {"source": "referral", "medium": "partner", "campaign": "q4-launch"},
        "timezone": "America/New_York",
    }
    with_page = qualify(assistant, "page", WARM_ANSWERS, metadata=metadata)
    without_page = qualify(assistant, "nopage", WARM_ANSWERS)

    lead = lead_of(assistant, with_page)
    assert lead.page_url == metadata["page_url"]
    assert lead.utm["campaign"] == "q4-launch"
    assert lead.time_zone == "America/New_York"
    assert lead.score > lead_of(assistant, without_page).score


def test_free_mail_scores_lower_but_is_kept(assistant: Assistant) -> None:
    business = qualify(assistant, "bizmail", WARM_ANSWERS)
    free = qualify(
        assistant,
        "freemail",
        {**WARM_ANSWERS, "contact_email": "maria.lopez@gmail.com"},
    )

    free_lead = lead_of(assistant, free)
    assert free_lead.email == "maria.lopez@gmail.com"
    assert free_lead.score < lead_of(assistant, business).score


def test_trial_user_with_buying_signals_is_product_qualified(
    assistant: Assistant,
) -> None:
    answers = {
        **HOT_ANSWERS,
        "need": "we've been on your free trial for a week and want to roll it out",
    }
    chat = qualify(assistant, "trial", answers)

    assert lead_of(assistant, chat).stage in {"PQL", "SQL"}
    assert lead_of(assistant, chat).facts["trial"]["value"] is True


# Robustness ---------------------------------------------------------------------------


def test_returning_visitor_continues_where_they_left_off(assistant: Assistant) -> None:
    chat = start(assistant, "return", "I'd like a demo")
    say(assistant, chat, WARM_ANSWERS["need"])
    say(assistant, chat, WARM_ANSWERS["company_size"])

    assert "Welcome back" in say(assistant, chat, "hi again")
    assert requested_slot(assistant, chat.sender) == "budget"
    answer_questions(assistant, chat, WARM_ANSWERS)
    assert chat.asked[0] == "budget"


def test_script_text_is_stored_as_plain_text(assistant: Assistant) -> None:
    payload = "<script>alert('x')</script> we need to qualify leads faster"
    chat = start(assistant, "xss", "I'd like a demo")
    say(assistant, chat, payload)

    need = answers_by_dimension(lead_of(assistant, chat))["need"]
    assert need.message == payload


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🙂🚀🔥", "x" * 20000, '{"malformed": ', "\u0000\u202e"],
    ids=["empty", "blank", "emoji", "oversized", "json-fragment", "control-chars"],
)
def test_odd_messages_get_an_answer_and_break_nothing(
    assistant: Assistant, text: str
) -> None:
    chat = start(assistant, "odd", "I'd like a demo")

    say(assistant, chat, text)

    assert requested_slot(assistant, chat.sender) == "need"


def test_two_visitors_cannot_book_the_same_slot(assistant: Assistant) -> None:
    first = qualify(assistant, "slot-a", WARM_ANSWERS)
    second = qualify(assistant, "slot-b", WARM_ANSWERS)
    contested = next(b for b in first.buttons if b["payload"][:1].isdigit())["payload"]

    say(assistant, first, contested)
    reply = say(assistant, second, contested)

    assert "someone just booked that time" in reply
    assert len(lead_of(assistant, first).bookings) == 1
    assert lead_of(assistant, second).bookings == []


def test_transcript_is_kept_in_the_tracker_store(assistant: Assistant) -> None:
    chat = qualify(assistant, "transcript", WARM_ANSWERS)

    events = assistant.tracker(chat.sender)["events"]
    user_texts = [e.get("text") for e in events if e.get("event") == "user"]
    assert WARM_ANSWERS["need"] in user_texts
    assert len(user_texts) >= 10


def test_greeting_then_yes_starts_the_questions(assistant: Assistant) -> None:
    chat = start(assistant, "greet", "hey")
    assert "What brings you here" in chat.last

    say(assistant, chat, "yes")

    assert requested_slot(assistant, chat.sender) == "need"


@pytest.mark.parametrize(
    ("reply", "employees"), [("yes", 80), ("no", 40)], ids=["update", "keep"]
)
def test_contradicting_answer_is_confirmed_before_it_replaces_the_old_one(
    assistant: Assistant, reply: str, employees: int
) -> None:
    chat = start(assistant, "conflict", "I'd like a demo")
    answer_questions(assistant, chat, WARM_ANSWERS, until="authority")

    assert "Should I update it" in say(assistant, chat, "actually we're 80 people")
    say(assistant, chat, reply)

    assert requested_slot(assistant, chat.sender) == "authority"
    answer_questions(assistant, chat, WARM_ANSWERS)
    lead = lead_of(assistant, chat)
    assert lead.facts["company_size"]["employees"] == employees
