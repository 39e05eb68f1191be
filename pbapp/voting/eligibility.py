"""Who may vote in a cycle, and how: checked on the server at every step of casting a ballot.

A cycle states its rules (minimum age, the neighbourhoods it covers, voting by account and/or by
code, and whether account voters must be on the voter roll). The pages may hide what a voter
cannot do, but these checks are what refuse it; each refusal says why, in words for the voter.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext

from ..cycles.models import Cycle
from .services import BallotRejected


def reference_date(cycle: Cycle) -> date:
    """Ages count at the close of voting, or today while no close is set."""
    return cycle.voting_closes.date() if cycle.voting_closes else date.today()


def age_in(cycle: Cycle, birth_year: int | None) -> int | None:
    """The age reached in the year voting closes; with only a birth year, that is the most we
    know, and it lets everyone who turns ``min_age`` by the end of that year take part."""
    if birth_year is None:
        return None
    return reference_date(cycle).year - birth_year


def _place_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return gettext("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def check_account_voter(cycle: Cycle, user) -> None:
    """Raise BallotRejected unless ``user`` may vote with their account in ``cycle``."""
    if not cycle.vote_by_account:
        hint = (gettext("Use the voting code you received instead.") if cycle.vote_by_code
                else gettext("Ask staff how to vote."))
        raise BallotRejected(gettext("In this cycle, votes are not cast with an account.")
                             + " " + hint)
    if user.email_verified_at is None:
        raise BallotRejected(gettext(
            "Confirm your email address first: open the link we emailed to %(email)s. Your "
            "account page can send a new link.", email=user.email))
    if cycle.min_age is not None:
        age = age_in(cycle, user.birth_year)
        if age is None:
            raise BallotRejected(gettext(
                "Residents aged %(age)d or over can vote in this cycle, and your account does "
                "not give your year of birth. You can add it on your account page.",
                age=cycle.min_age))
        if age < cycle.min_age:
            raise BallotRejected(gettext(
                "Residents aged %(age)d or over can vote in this cycle. By the year of birth in "
                "your account, you are not old enough yet.", age=cycle.min_age))
    covered = {n.id: n.name for n in cycle.neighbourhoods}
    # where the cycle asks for an address, the address's neighbourhood is checked instead
    if covered and not cycle.require_address and user.neighbourhood_id not in covered:
        places = _place_list(sorted(covered.values()))
        if user.neighbourhood_id is None:
            message = gettext("This cycle is for residents of %(places)s, and your account does "
                              "not say where you live. You can add it on your account page.",
                              places=places)
        else:
            message = gettext("This cycle is for residents of %(places)s, and your account is "
                              "in another neighbourhood. Ask staff if this is wrong.",
                              places=places)
        raise BallotRejected(message)
    from .identity import account_roll_entry

    if cycle.use_roll and account_roll_entry(cycle, user) is None:
        raise BallotRejected(gettext(
            "Only residents on this cycle's voter roll can vote, and the email address of your "
            "account is not on it. If a letter with your personal voting code came to you, you "
            "can link it to your account; otherwise ask staff to check the roll."))


def check_code_voting(cycle: Cycle) -> None:
    """Raise BallotRejected unless this cycle takes votes with one-time codes."""
    if not cycle.vote_by_code:
        message = gettext("In this cycle, votes are not cast with voting codes.")
        if cycle.vote_by_account:
            message += " " + gettext("Sign in to vote with your account.")
        raise BallotRejected(message)
