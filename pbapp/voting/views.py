"""Ranking, reviewing and casting a ballot without JavaScript; the receipt; the public tracker.

The ranking travels only in POST bodies and the signed session (never in a URL, so it stays out
of logs and history), and pages that show it or the receipt are marked ``no-store``.
"""
from dataclasses import replace

from flask import (abort, current_app, flash, g, make_response, redirect, render_template,
                   request, session, url_for)
from babel.numbers import format_decimal
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select
from wtforms.fields.choices import SelectChoice

from .. import page_memory
from ..cycles.models import Cycle
from ..cycles.results_cache import published
from ..cycles.window import why_closed
from ..extensions import db, limiter
from ..proposals.models import Proposal
from ..tally import PB_METHODS
from . import bp
from .address_step import address_needed, address_neighbourhood
from .codes import code_hash, code_refused, usable_code
from .eligibility import check_account_voter, check_code_voting
from .draft import forget_draft, keep_draft, recall_draft
from .forms import CodeForm, TrackerForm, choice_label, nth, rank_fields, submitted_ranks
from .identity import ClaimRefused, Voter, account_voter, claim_roll_entry, code_row, code_voter
from .ranking_edit import apply_op, chosen_ids
from . import shown
from .shown import shown_choices
from .services import (BallotRejected, ballot_choices, cast_ballot, has_voted, is_counted,
                       ranking_from_ranks)

TRACKED_PHASES = ("voting", "counting", "implementation", "closed")
SAID_SESSION = "ballot_said"  # what the last ballot POST did, for the GET its 303 leads to
page_memory.watch(Cycle, Proposal)


#: built once: each of a ballot's thirteen or so requests looks its cycle up by slug
_CYCLE_BY_SLUG = select(Cycle).where(Cycle.slug == bindparam("slug"))


def _cycle_or_404(slug: str) -> Cycle:
    cycle = db.session.scalar(_CYCLE_BY_SLUG, {"slug": slug})
    if cycle is None or cycle.phase == "draft":
        abort(404)
    return cycle


def _private(body: str):
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _me(cycle: Cycle) -> Voter:
    """The signed-in account as a voter: its roll entry in a cycle with a roll (eligibility
    has refused an account without one before this is asked)."""
    voter = account_voter(cycle, current_user)
    if voter is None:
        raise BallotRejected(gettext("You are not on this cycle's voter roll."))
    if address_needed(cycle) and not voter.roll_checked:  # where they said they live
        voter = replace(voter, neighbourhood_id=address_neighbourhood(cycle, current_user))
    return voter


def _check_voter(cycle: Cycle, steps: str = "voting.") -> None:
    """The cycle's eligibility rules for this way of voting; raises BallotRejected."""
    if steps == CODE_STEPS:
        check_code_voting(cycle)
    else:
        check_account_voter(cycle, current_user)


def _not_eligible_page(cycle: Cycle, steps: str = "voting."):
    """The page saying why this voter cannot vote this way, or None when they can."""
    try:
        _check_voter(cycle, steps)
    except BallotRejected as refusal:
        return _private(render_template("voting/not_eligible.html", cycle=cycle,
                                        reason=str(refusal), by_code=steps == CODE_STEPS))
    return None


def _ballot_page(cycle: Cycle, error: str | None = None, formdata=None, key: str | None = None,
                 steps: str = "voting.", fragment: bool = False):
    """The ballot, or why it cannot be filled in; refusals come back here with their reason.

    ``steps`` is the endpoint prefix of the ballot/review/cast steps ("voting." for an account,
    "voting.code_" for a voting code); ``key`` defaults to the signed-in account's. The voter's
    ranking kept in the session (``draft``) fills the ballot, and what an htmx edit (``formdata``)
    leaves is kept there in turn; what the last edit said (``_say``) is read once. The empty
    ballot a signed-out code voter first sees is the same for all of them, so it is kept in
    memory (``page_memory``) for up to ``shown.BALLOT_MAX_AGE`` seconds. An htmx edit (``fragment``)
    gets the ballot area alone, the part its swap takes."""
    closed = why_closed(cycle)  # None while ballots are taken, else why not
    refused = None if closed else _not_eligible_page(cycle, steps)
    if refused is not None:
        return refused
    key = None if closed else key or _me(cycle).key
    voted = not closed and has_voted(cycle, key)
    if voted:
        forget_draft()
    edited = formdata is not None
    said = session.pop(SAID_SESSION, None) if not edited else None
    said = said if isinstance(said, dict) and said.get("cycle") == cycle.slug else {}
    error = error or said.get("error")
    proposals = shown_choices(cycle)
    known = {str(p.id) for p in proposals}
    if formdata is None and not (closed or voted):
        formdata = recall_draft(cycle.slug, key, known)
    shared = (formdata is None and error is None and not (closed or voted or said)
              and page_memory.shareable())
    if shared:
        page_key = (cycle.id, cycle.text("name", get_locale()), cycle.max_ranks,
                    cycle.budget_cents, cycle.method,
                    str(get_locale()), steps, request.full_path)
        if (page := page_memory.recall("ballots", page_key, shown.BALLOT_MAX_AGE)) is not None:
            return _private(page_memory.serve(page))
    chosen = []
    if formdata is not None and not (closed or voted):
        if edited:
            edit = _edit(cycle, formdata, key, proposals)
            said, error = edit, error or edit.get("error")
            chosen = edit.get("chosen", [])
        else:
            chosen = list(dict.fromkeys(pid for pid in formdata.values() if pid in known))
    fragment = fragment and not (closed or voted)
    page = render_template("voting/_ballot_area.html" if fragment else "voting/ballot.html",
                           cycle=cycle, proposals=proposals,
                           error=error, closed=closed, voted=voted, steps=steps,
                           announce=said.get("announce", ""), last_op=said.get("op", ""),
                           removed=said.get("removed", ""), **_card_words(cycle, proposals, steps),
                           **_ranking_view(cycle, proposals, chosen[:cycle.max_ranks]))
    if shared:
        page_memory.remember("ballots", page_key, page_memory.keep(page))
    return _private(page)


def _edit(cycle: Cycle, formdata, key: str, proposals: list) -> dict:
    """Apply the edit the form names (``op``, or none for "Change" on the review step) and keep
    the ranking it leaves in the session; what happened, for the page that follows."""
    known = {str(p.id) for p in proposals}
    op = formdata.get("op") or ""
    removed = formdata.get("rank_" + op.partition(":")[2], "") if op.startswith("remove:") else ""
    try:
        announce = ""
        if op:
            formdata, announce = apply_op(formdata, cycle.max_ranks,
                                          {str(p.id): p.text("title", get_locale())
                                           for p in proposals})
        chosen = list(dict.fromkeys(pid for pid in chosen_ids(formdata) if pid in known))
    except BallotRejected as refusal:  # rank fields no ballot of ours has
        return {"cycle": cycle.slug, "error": str(refusal)}
    keep_draft(cycle.slug, key, chosen[:cycle.max_ranks])
    return {"cycle": cycle.slug, "announce": announce, "op": op if announce else "",
            "removed": removed, "chosen": chosen}


def _say(cycle: Cycle, **what) -> None:
    """Keep what a POST did for the ballot page its 303 leads to (read once there)."""
    session[SAID_SESSION] = {"cycle": cycle.slug, **what}


def _fragment_request() -> bool:
    """An htmx edit that swaps only the ballot area: answered in place, no history entry."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")


def _edit_ballot(cycle: Cycle, steps: str, key: str | None = None):
    """A POST that edits the ranking answers 303 to the ballot's GET, which shows the ranking
    kept in the session: the browser's history holds no POST page, so Back from a proposal
    opened from the ballot neither asks to resend a form nor empties the ballot. An htmx edit
    gets the page in place."""
    if _fragment_request():
        return _ballot_page(cycle, formdata=request.form, key=key, steps=steps, fragment=True)
    back = redirect(url_for(steps + "ballot", slug=cycle.slug), code=303)
    if why_closed(cycle):
        return back
    try:
        _check_voter(cycle, steps)
        key = key or _me(cycle).key
    except BallotRejected:
        return back  # the ballot's GET says why
    if has_voted(cycle, key):
        return back
    edit = _edit(cycle, request.form, key, shown_choices(cycle))
    edit.pop("chosen", None)
    session[SAID_SESSION] = edit
    return back


def _card_words(cycle: Cycle, proposals: list, steps: str) -> dict:
    """Each proposal's title and cost in the page's language, and the edit buttons' address,
    worked out once: a card shows them two or three times."""
    locale = get_locale()
    return {"titles": {p.id: p.text("title", locale) for p in proposals},
            "costs": {p.id: format_decimal(p.cost, locale=locale) for p in proposals},
            "edit_url": url_for(steps + "ballot", slug=cycle.slug)}


def _ranking_view(cycle: Cycle, proposals: list, chosen: list[str]) -> dict:
    """What the ballot shows of the ranking: each choice's label, the rank on each chosen card,
    and the cost so far where the cycle's rule spends a budget (the ranked rules do not)."""
    by_id = {str(p.id): p for p in proposals}
    ranked = [(choice_label(n), by_id[pid]) for n, pid in enumerate(chosen, start=1)]
    return {"chosen": chosen, "ranked": ranked,
            "rank_of": {pid: (n, label) for n, (pid, (label, _p))
                        in enumerate(zip(chosen, ranked), start=1)},
            "counts_cost": cycle.method in PB_METHODS,
            "cost_so_far": sum(p.cost for _label, p in ranked)}


def _review_page(cycle: Cycle, ranking: list[int], steps: str, proposals: list):
    by_id = {p.id: p for p in proposals}
    choices = [(nth(n), by_id[pid]) for n, pid in enumerate(ranking, start=1)]
    return _private(render_template("voting/review.html", cycle=cycle, choices=choices,
                                    fields=rank_fields(ranking), steps=steps))


@bp.route("/<slug>", methods=["GET", "POST"])
@login_required
def ballot(slug: str):
    """GET shows the ballot with the ranking kept so far; POST (an edit button, or "Change" on
    the review step) edits that ranking and answers 303 back to the GET."""
    cycle = _cycle_or_404(slug)
    if request.method == "POST":
        return _edit_ballot(cycle, "voting.")
    return _ballot_page(cycle)


@bp.route("/<slug>/review", methods=["GET", "POST"])
@login_required
def review(slug: str):
    """POST checks the ranking and answers 303 to the GET, which shows the kept ranking to
    check before casting; any refusal goes back to the ballot with its reason."""
    return _review_step(_cycle_or_404(slug), "voting.")


def _review_step(cycle: Cycle, steps: str, key: str | None = None):
    proposals = shown_choices(cycle)
    back = redirect(url_for(steps + "ballot", slug=cycle.slug), code=303)
    try:
        _check_voter(cycle, steps)
        key = key or _me(cycle).key
        if request.method == "POST":
            formdata = request.form
        else:
            formdata = recall_draft(cycle.slug, key, {str(p.id) for p in proposals})
            if formdata is None:
                return back
        ranking = ranking_from_ranks(cycle, submitted_ranks(formdata), proposals)
    except BallotRejected as refusal:
        _say(cycle, error=str(refusal))
        return back
    if has_voted(cycle, key):
        return back
    if request.method == "POST":
        keep_draft(cycle.slug, key, [str(pid) for pid in ranking])
        return redirect(url_for(steps + "review", slug=cycle.slug), code=303)
    return _review_page(cycle, ranking, steps, proposals)


@bp.post("/<slug>/cast")
@login_required
def cast(slug: str):
    cycle = _cycle_or_404(slug)
    proposals = ballot_choices(cycle)
    try:
        _check_voter(cycle)
        ranking = ranking_from_ranks(cycle, submitted_ranks(request.form), proposals)
        receipt_code = _cast(cycle, _me(cycle), "online", ranking, proposals)
    except BallotRejected as refusal:  # already cast, or closed meanwhile: nothing to keep
        db.session.rollback()
        return _ballot_page(cycle, str(refusal))
    db.session.commit()
    forget_draft()
    session["receipt"] = {"cycle": slug, "code": receipt_code}
    return redirect(url_for("voting.receipt", slug=slug), code=303)


@bp.get("/<slug>/receipt")
@login_required
def receipt(slug: str):
    """The receipt code is shown once: it leaves the session once this page has rendered."""
    cycle = _cycle_or_404(slug)
    return _private(_show_receipt_once(cycle, "voting/receipt.html"))


def _cast(cycle: Cycle, voter: Voter, channel: str, ranking: list[int], proposals) -> str:
    return cast_ballot(cycle, voter.key, channel, ranking, neighbourhood_id=voter.neighbourhood_id,
                       age_band=voter.age_band, roll_checked=voter.roll_checked,
                       choices=proposals)


def _show_receipt_once(cycle, template: str, **context) -> str:
    """The page with the session's receipt code, which then leaves the session.

    Only after rendering: if the database fails while the page is built, the error page goes out
    with the session as it was, and the voter's reload (the 503 page asks for one) still shows
    the code; it is never lost between a cast that committed and a page that did not render."""
    kept = session.get("receipt") or {}
    code = kept.get("code") if kept.get("cycle") == cycle.slug else None
    page = render_template(template, cycle=cycle, code=code, **context,
                           receipt_text=_receipt_text(cycle, code) if code else "")
    if code is not None:
        session.pop("receipt", None)
    return page


def _receipt_text(cycle: Cycle, code: str) -> str:
    """The small text file the receipt page offers to download: the code and where to check it."""
    return "\n".join((
        gettext("Receipt code for %(cycle)s: %(code)s", cycle=cycle.name, code=code),
        gettext("Check that your ballot is counted in the ballot tracker: %(url)s",
                url=url_for("voting.tracker", _external=True)),
        gettext("The code does not show how you voted."), ""))


@bp.get("/tracker")
def tracker():
    """Answers only whether a ballot with a receipt code is in the ballot box, never what was
    ranked; "counted" only once a published count has counted it, "recorded" before."""
    cycles = db.session.scalars(select(Cycle).where(Cycle.phase.in_(TRACKED_PHASES))
                                .order_by(Cycle.created_at.desc(), Cycle.id.desc())).all()
    form = TrackerForm(formdata=request.args or None)
    form.cycle.choices = [SelectChoice(c.slug, c.name) for c in cycles]
    answer = chosen = None
    if request.args and form.validate():
        chosen = next(c for c in cycles if c.slug == form.cycle.data)
        answer = "not found"
        if is_counted(chosen, form.code.data):
            answer = "counted" if published(chosen.slug) is not None else "recorded"
    return render_template("voting/tracker.html", form=form, answer=answer, cycle=chosen)


# --- Voting with a one-time code, no account -------------------------------------------------
# Only failed attempts count, so a community centre where many residents type their codes on
# one machine is not locked out, and a busy mailing day is not capped. There is no site-wide
# limit: strangers could fill it and lock out every resident holding a good code, and a code's
# 79 bits already defeat guessing spread over many addresses. Each can be set in the app's
# config (same names).
CODE_FAILURES_PER_ADDRESS = "10 per minute"
CODE_FAILURES_PER_CODE = "5 per hour"


def _limit(name: str, default: str):
    return lambda: current_app.config.get(name, default)
CODE_SESSION = "voting_code"  # {"cycle": slug, "hash": code hash}; never the code itself
CODE_STEPS = "voting.code_"


def _code_failed(_response) -> bool:
    return g.get("code_failed", False)


def _submitted_code_key() -> str:
    """The keyed hash, so rate-limit storage holds no codes."""
    return code_hash(request.form.get("code", ""))


def _held_code(cycle: Cycle) -> Voter | None:
    """The voter of the checked code carried in the signed session for this cycle, if any."""
    held = session.get(CODE_SESSION) or {}
    hashed = held.get("hash")
    if held.get("cycle") != cycle.slug or not isinstance(hashed, str):
        return None
    row = code_row(cycle, hashed)
    return code_voter(cycle, row) if row is not None else None


@bp.route("/<slug>/code", methods=["GET", "POST"])
@limiter.limit(_limit("CODE_FAILURES_PER_ADDRESS", CODE_FAILURES_PER_ADDRESS), methods=["POST"],
               deduct_when=_code_failed, scope="voting-code-address")
@limiter.limit(_limit("CODE_FAILURES_PER_CODE", CODE_FAILURES_PER_CODE), methods=["POST"],
               deduct_when=_code_failed, key_func=_submitted_code_key, scope="voting-code-code")
def code(slug: str):
    """The resident types the code from their letter; a usable one leads to the ballot."""
    cycle = _cycle_or_404(slug)
    closed = why_closed(cycle)
    refused = None if closed else _not_eligible_page(cycle, CODE_STEPS)
    if refused is not None:
        return refused
    form = CodeForm()
    error = None
    if request.method == "POST" and not closed:
        hashed = usable_code(cycle, form.code.data) if form.validate_on_submit() else None
        if hashed is not None:
            session[CODE_SESSION] = {"cycle": cycle.slug, "hash": hashed}
            return redirect(url_for("voting.code_ballot", slug=cycle.slug), code=303)
        g.code_failed = True
        current_app.logger.info("voting code refused for cycle %s from %s",
                                cycle.slug, request.remote_addr)
        error = code_refused()
    return _private(render_template("voting/code.html", cycle=cycle, form=form, error=error,
                                    closed=closed))


@bp.route("/<slug>/code/ballot", methods=["GET", "POST"])
def code_ballot(slug: str):
    cycle = _cycle_or_404(slug)
    voter = _held_code(cycle)
    if voter is None:
        return redirect(url_for("voting.code", slug=cycle.slug), code=303)
    if request.method == "POST":
        return _edit_ballot(cycle, CODE_STEPS, key=voter.key)
    return _ballot_page(cycle, key=voter.key, steps=CODE_STEPS)


@bp.route("/<slug>/code/review", methods=["GET", "POST"])
def code_review(slug: str):
    cycle = _cycle_or_404(slug)
    voter = _held_code(cycle)
    if voter is None:
        return redirect(url_for("voting.code", slug=cycle.slug), code=303)
    return _review_step(cycle, CODE_STEPS, key=voter.key)


@bp.post("/<slug>/code/cast")
def code_cast(slug: str):
    cycle = _cycle_or_404(slug)
    voter = _held_code(cycle)
    if voter is None:
        return redirect(url_for("voting.code", slug=cycle.slug), code=303)
    key = voter.key
    proposals = ballot_choices(cycle)
    try:
        _check_voter(cycle, CODE_STEPS)
        ranking = ranking_from_ranks(cycle, submitted_ranks(request.form), proposals)
        receipt_code = _cast(cycle, voter, "code", ranking, proposals)
    except BallotRejected as refusal:  # already cast, or closed meanwhile: nothing to keep
        db.session.rollback()
        return _ballot_page(cycle, str(refusal), key=key, steps=CODE_STEPS)
    db.session.commit()  # expires the cycle: what follows uses the slug from the URL
    session.pop(CODE_SESSION, None)
    forget_draft()
    session["receipt"] = {"cycle": slug, "code": receipt_code}
    return redirect(url_for("voting.code_receipt", slug=slug), code=303)


@bp.get("/<slug>/code/receipt")
def code_receipt(slug: str):
    cycle = _cycle_or_404(slug)
    return _private(_show_receipt_once(cycle, "voting/receipt.html", by_code=True))


@bp.route("/<slug>/claim", methods=["GET", "POST"])
@login_required
@limiter.limit(_limit("CODE_FAILURES_PER_ADDRESS", CODE_FAILURES_PER_ADDRESS), methods=["POST"],
               deduct_when=_code_failed, scope="voting-code-address")
@limiter.limit(_limit("CODE_FAILURES_PER_CODE", CODE_FAILURES_PER_CODE), methods=["POST"],
               deduct_when=_code_failed, key_func=_submitted_code_key, scope="voting-code-code")
def claim(slug: str):
    """A resident whose account email is not the roll's links their letter's personal code to
    the account, once; the account then votes as that roll entry."""
    cycle = _cycle_or_404(slug)
    if not cycle.use_roll:
        abort(404)
    form = CodeForm()
    error = None
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise ClaimRefused(code_refused())
            claim_roll_entry(cycle, current_user, form.code.data)
        except ClaimRefused as refusal:
            db.session.rollback()
            g.code_failed = True
            error = str(refusal)
        else:
            db.session.commit()
            flash(gettext("Your account is now linked to your place on the voter roll."),
                  "success")
            return redirect(url_for("voting.ballot", slug=slug), code=303)
    return _private(render_template("voting/claim.html", cycle=cycle, form=form, error=error))
