"""What an election file holds: the ballots and what the file says about counting them."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .errors import FileFormatError

from .profile import Profile


@dataclass
class Project:
    """A participatory-budgeting project (a candidate with a cost)."""

    id: str
    cost: int | Decimal  # as published: int when whole
    name: str = ""
    #: the official outcome recorded in the file, if any (pabulib ``selected``): True (1),
    #: False (0), None (no value) or the text of any other value (2: "ambiguous, see comment")
    selected: bool | str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Election:
    """Ballots plus defaults from the file; ``count()`` applies them, options override."""

    title: str = ""
    candidates: list[str] = field(default_factory=list)
    #: ranked ballots (BLT, CSV, CDF, ordinal .pb)
    profile: Profile | None = None
    seats: int = 1
    #: the method the file asks for (BLT: stv when seats > 1; .pb: META rule)
    method: str | None = None
    #: default counting options from the file (RCTab rules, .pb scoring, withdrawn candidates)
    options: dict[str, Any] = field(default_factory=dict)
    withdrawn: list[str] = field(default_factory=list)
    # participatory budgeting
    projects: list[Project] | None = None
    budget: int | None = None
    vote_type: str = "ordinal"  # ordinal | approval | cumulative | choose-1
    #: non-ranked PB ballots: (count, {project_id: points}); approval/choose-1 use 1 point each
    pb_ballots: list[tuple[float, dict[str, float]]] | None = None
    meta: dict[str, str] = field(default_factory=dict)
    #: what the reader let through and how (``{"message", "lines"}``); copied to each result
    warnings: list[dict[str, Any]] = field(default_factory=list)
    #: why the file's own rule cannot be counted (then a method must be chosen)
    rule_refused: FileFormatError | None = None

    def __repr__(self) -> str:
        return f"<Election {self.title!r} {len(self.candidates)} candidates>"

    @property
    def is_pb(self) -> bool:
        return self.projects is not None

    def count(self, method: str | None = None, **overrides):
        """Count with the file's defaults, letting the caller override any of them."""
        from . import _resolve, count, default_method

        if not method and self.rule_refused:
            raise self.rule_refused
        method = method or self.method or default_method(self)
        accepted = getattr(_resolve(method), "options", None)
        options: dict[str, Any] = dict(self.options)
        if self.withdrawn:
            options.setdefault("withdrawn", list(self.withdrawn))
        if self.is_pb:
            options.setdefault("budget", self.budget)
            options.setdefault("projects", self.projects)
            options.setdefault("vote_type", self.vote_type)
            ballots = self.pb_ballots if self.pb_ballots is not None else self.profile
        else:
            options.setdefault("seats", self.seats)
            ballots = self.profile
        if accepted is not None:  # file defaults another method would need are dropped
            options = {k: v for k, v in options.items() if k in accepted}
        options.update({k: v for k, v in overrides.items() if v is not None})
        result = count(ballots, method=method, candidates=self.candidates or None, **options)
        result.warnings = [dict(w) for w in self.warnings]
        if self.is_pb:
            result.extra.update(self.published(result.winners))
        return result

    def published(self, winners: list[str]) -> dict[str, Any]:
        """The city's own selection, when the file records one, and whether this count agrees.

        Projects marked other than 0 or 1 (pabulib's 2: "ambiguous, explained in a comment") are
        listed in ``published_unclear`` and left out of the comparison.
        """
        marked = [p for p in self.projects or [] if p.selected is not None]
        if not marked:
            return {}
        published = [p.id for p in marked if p.selected is True]
        unclear = {p.id: p.selected for p in marked if isinstance(p.selected, str)}
        ours = [w for w in winners if w not in unclear]
        differences = {"funded_not_published": [w for w in ours if w not in published],
                       "published_not_funded": [p for p in published if p not in winners]}
        return {"published_winners": published, "published_unclear": unclear,
                "agrees_with_published": not any(differences.values()),
                "published_differences": differences}
