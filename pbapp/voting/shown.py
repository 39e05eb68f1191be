"""The proposals on a ballot as the voter's editing steps show them, kept per worker briefly.

Every Add, Move and Remove, and each look at the ballot or the review page, shows the same
proposals; loading them afresh was the largest statement of those requests. They are kept for
``BALLOT_MAX_AGE`` seconds (as the empty ballot page is), forgotten at once when this worker
commits a change to a proposal or cycle (``page_memory.watch``). Casting never uses them: the
cast checks the ranking against the proposals read in its own transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import page_memory
from ..cycles.models import Cycle
from ..models_base import Translated
from ..proposals.models import TRANSLATED_FIELDS, Proposal
from .services import ballot_choices

#: how long another worker may show a proposal as it was before an edit
BALLOT_MAX_AGE = 2.0


@dataclass(frozen=True)
class Choice:
    """What the ballot and review pages read of a proposal (the same names as ``Proposal``)."""

    id: int
    title: str
    summary: str | None
    cost_cents: int
    translations: dict = field(default_factory=dict)

    TRANSLATED_FIELDS = TRANSLATED_FIELDS
    text = Translated.text  # the translation if there is one, else the original

    @property
    def cost(self) -> int:
        return self.cost_cents // 100


def _choice(p: Proposal) -> Choice:
    return Choice(p.id, p.title, p.summary, p.cost_cents,
                  {lang: dict(texts) for lang, texts in (p.translations or {}).items()})


def shown_choices(cycle: Cycle) -> list[Choice]:
    """The cycle's ``ballot_choices`` as the last few seconds' requests in this worker saw them."""
    kept = page_memory.recall("ballot-choices", cycle.id, BALLOT_MAX_AGE)
    if kept is None:
        kept = page_memory.remember("ballot-choices", cycle.id,
                                    tuple(_choice(p) for p in ballot_choices(cycle)))
    return list(kept)
