"""The runner-label guard: is every label the workflows need served by a live runner?

:func:`run_guard` does the whole check (as ``relane guard`` does); its parts:
:mod:`~relane.guard.requirements` (what must be served),
:mod:`~relane.guard.runners` (who could serve it, as the forges list runners),
:mod:`~relane.guard.matching` (:func:`check`: who does) and
:mod:`~relane.guard.remote` (the forge, the listing, the whole run).
The verdict is rendered by :mod:`relane.render.guard`.
"""

from relane.guard.matching import Check, GuardResult, check, has_labels
from relane.guard.remote import forge_of_listings, forge_of_repository, list_runners, run_guard
from relane.guard.requirements import (
    Requirement,
    Skipped,
    merge_requirements,
    requirements_from_labels,
    requirements_from_workflows,
)
from relane.guard.runners import ONLINE_STATUSES, Listing, Runner, listing_forge, parse_runners, read_listing, unique

__all__ = [
    "ONLINE_STATUSES",
    "Check",
    "GuardResult",
    "Listing",
    "Requirement",
    "Runner",
    "Skipped",
    "check",
    "forge_of_listings",
    "forge_of_repository",
    "has_labels",
    "list_runners",
    "listing_forge",
    "merge_requirements",
    "parse_runners",
    "read_listing",
    "requirements_from_labels",
    "requirements_from_workflows",
    "run_guard",
    "unique",
]
