"""The services actions share, built once per action-server process."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qualifier.booking import Availability, load_availability
from qualifier.profile import ScoringProfile, default_profile_path, load_profile
from qualifier.settings import Settings, load_settings
from qualifier.store import LeadStore

if TYPE_CHECKING:
    from qualifier.extract import Extractor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """Everything an action needs besides the tracker."""

    settings: Settings
    store: LeadStore
    extractor: Extractor
    profile: ScoringProfile
    availability: Availability


@functools.cache
def services() -> Services:
    """Build the services on first use and keep them for the process."""
    # Imported here so that importing the actions does not import spaCy.
    from qualifier.extract import Extractor

    settings = load_settings()
    store = LeadStore.connect(settings.database_url)
    store.migrate()
    profile_path = (
        Path(settings.profile)
        if settings.profile.endswith((".yml", ".yaml"))
        else default_profile_path(settings.profile)
    )
    built = Services(
        settings=settings,
        store=store,
        extractor=Extractor.load(
            settings.spacy_model,
            default_currency=settings.default_currency,
            fiscal_year_start_month=settings.fiscal_year_start_month,
        ),
        profile=load_profile(profile_path),
        availability=load_availability(settings.availability_path),
    )
    logger.info("services.ready profile=%s", built.profile.name)
    return built
