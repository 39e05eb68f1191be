"""Public cycle pages and results; staff pages under /cycles/manage/ to run a cycle."""
import hashlib

from flask import (abort, current_app, flash, g, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import format_decimal, get_locale, gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from .. import tally
from ..auth.permissions import staff_required
from ..extensions import db
from ..labels import FILTERS
from ..proposals.models import Proposal
from ..voting.services import ballot_choices
from . import bp
from .charts import cached_charts, number, progression
from .exports import FORMATS, cvr_file, file_hashes
from .forms import ActionForm, CycleForm, PhaseForm
from .. import front, page_memory
from . import result_section, results_cache
from .models import PHASES, Cycle, Neighbourhood, Result
from .overrides import describe
from .services import (CycleInvalid, PhaseError, advance_phase, count_cycle, create_cycle,
                       cycle_stats, latest_results, locked_fields, phase_moves, publish_result,
                       update_cycle)
from .rounds import round_sentences
from .stats import round_changes, turnout_by_channel
from .window import why_closed
from ..paper.turnout import place_turnout
from .votes import SORTS, cycle_votes, sort_choice, sort_proposals


def _cycle_or_404(slug: str) -> Cycle:
    cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
    if cycle is None or cycle.phase == "draft":
        abort(404)
    return cycle


def published_result(cycle: Cycle) -> Result | None:
    return db.session.scalar(select(Result).where(
        Result.cycle_id == cycle.id, Result.published_at.is_not(None))
        .order_by(Result.published_at.desc()).limit(1))


def describe_rounds(data: dict) -> list[dict]:
    """Each round with its decisions named by proposal title, for people rather than machines."""
    names = data.get("names", {})
    pb = data.get("method") in tally.PB_METHODS
    rounds = []
    for rnd in data.get("rounds", []):
        elected, eliminated = rnd.get("elected") or [], rnd.get("eliminated") or []
        outcome = {c: ("funded" if pb else "elected") for c in elected}
        outcome.update({c: "eliminated" for c in eliminated})
        note = rnd.get("note") or ""
        for c in elected + eliminated:  # notes begin with the id of the project they decide
            if note.startswith(f"{c} "):
                note = names.get(c, c) + note[len(c):]
        tie = rnd.get("tie_break")
        rounds.append({
            "number": rnd.get("round"), "note": note, "outcome": outcome,
            "elected": [names.get(c, c) for c in elected],
            "eliminated": [names.get(c, c) for c in eliminated],
            "tallies": [(names.get(c, c), v, outcome.get(c))
                        for c, v in (rnd.get("tallies") or {}).items()],
            "threshold": rnd.get("threshold"),
            "tie": tie and {"among": [names.get(c, c) for c in tie.get("among", [])],
                            "chosen": names.get(tie.get("chosen"), tie.get("chosen")),
                            "detail": tie.get("detail", "")},
        })
    return rounds


def in_reader_language(data: dict) -> dict:
    """The stored count with its proposals named in the reader's language where they are
    translated; the count itself keeps the original titles it was made with."""
    names = data.get("names") or {}
    ids = [int(i) for i in names if str(i).isdigit()]
    locale = get_locale()
    found = db.session.scalars(select(Proposal).where(Proposal.id.in_(ids))) if ids else []
    translated = {str(p.id): text for p in found
                  if (text := p.text("title", locale)) != p.title}
    return {**data, "names": {**names, **translated}} if translated else data


def onward_links(names: dict) -> tuple[set[str], dict[str, int]]:
    """Which candidates of a count have a proposal page, and the project each funded one
    became, so the results page leads on to both."""
    from ..projects.models import Project

    ids = [int(c) for c in names if str(c).isdigit() and len(str(c)) < 10]
    if not ids:
        return set(), {}
    pages = {str(p.id) for p in db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)))
             if p.is_public}
    projects = {str(pid): project_id for pid, project_id in db.session.execute(
        select(Project.proposal_id, Project.id).where(Project.proposal_id.in_(ids)))}
    return pages, projects


def _result_context(result: Result) -> dict:
    """What ``_result.html`` shows: the rounds in words and numbers, charts, turnout and staff
    changes. The public pages keep it (``result_section``); staff's review page reads it afresh."""
    data = in_reader_language(result.data)
    names = data.get("names", {})
    pages, projects = onward_links(names)
    rounds = describe_rounds(data)
    for rnd, changes, said in zip(rounds, round_changes(data), round_sentences(data)):
        rnd.update(changes, sentences=said)
        rnd["rows"] = [(*row, change) for row, change in zip(rnd["tallies"], changes["changes"])]
    # the charts name the proposals, so a title translated since is a new key
    key = (result.id, result.cvr_sha256, str(result.counted_at), tuple(sorted(names.items())))
    turnout = turnout_by_channel(result.cycle_id)
    return {"result": result, "data": data, "names": names, "rounds": rounds,
            "winners": [names.get(w, w) for w in data.get("winners", [])],
            "pb": result.method in tally.PB_METHODS,
            "charts": cached_charts(key, data),
            "progression": progression(data),
            "turnout": turnout, "places": place_turnout(result.cycle_id, turnout),
            "number": number,
            "proposal_pages": pages, "project_of": projects,
            "winner_ids": [str(w) for w in data.get("winners", [])],
            "overrides": describe(result, names, get_locale())}


@bp.get("/")
def index():
    cycles = db.session.scalars(select(Cycle).where(Cycle.phase != "draft")
                                .order_by(Cycle.created_at.desc(), Cycle.id.desc())).all()
    return render_template("cycles/index.html", cycles=cycles)


@bp.get("/<slug>")
def show(slug: str):
    cycle = _cycle_or_404(slug)
    sort = sort_choice(request.args.get("sort"))
    votes = cycle_votes(cycle.id)
    proposals = sort_proposals(ballot_choices(cycle), votes, sort)
    return render_template("cycles/show.html", cycle=cycle, proposals=proposals,
                           votes=votes, sort=sort, sorts=SORTS,
                           result=published_result(cycle),
                           not_taking=cycle.phase == "voting" and why_closed(cycle))


@bp.get("/<slug>/results")
def results(slug: str):
    """Usually served from memory: see ``results_cache`` and ``page_memory``."""
    found = results_cache.published(slug)
    if found is None:
        abort(404)
    key = (*found, str(get_locale()))
    shared = page_memory.shareable()
    page_key = (key, request.full_path)
    if shared and (page := page_memory.recall("results-pages", page_key)) is not None:
        _share_in_front()
        return page  # the same bytes for everyone: no session, no token (see ``i18n``)
    cycle = _cycle_or_404(slug)
    result = db.session.get(Result, found.result_id)
    body = page_memory.recall("results-bodies", key)
    if body is None:
        body = page_memory.remember("results-bodies", key, Markup(render_template(
            "cycles/_results_body.html", cycle=cycle, hashes=file_hashes(cycle, result),
            names=result_section.shown(result)["names"],
            result_html=result_section.drawn(result))))
    g.shared_page = shared
    page = render_template("cycles/results.html", cycle=cycle, result=result, body=body)
    if shared:
        page_memory.remember("results-pages", page_key, page)
        _share_in_front()
    return page


def _share_in_front() -> None:
    """Signed-out readers' next requests are answered before Flask (``front``) until the
    published count is due to be checked again."""
    front.share(current_app.config.get("RESULTS_RECHECK_SECONDS", results_cache.RECHECK_SECONDS))


@bp.get("/<slug>/results/ballots.<fmt>")
def ballots_file(slug: str, fmt: str):
    """The published count's ballots, shuffled, for anyone to recount."""
    cycle = _cycle_or_404(slug)
    result = published_result(cycle)
    if result is None or fmt not in FORMATS:
        abort(404)
    body = cvr_file(cycle, result, fmt)
    response = make_response(body)
    response.headers["Content-Type"] = f"{FORMATS[fmt]}; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{cycle.slug}-ballots.{fmt}"'
    response.set_etag(hashlib.sha256(body).hexdigest())
    return response.make_conditional(request)


# Staff pages. Each POST checks the role (decorator) and the phase (service), then commits once.

def _managed_or_404(slug: str) -> Cycle:
    cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
    if cycle is None:
        abort(404)
    return cycle


def _neighbourhoods() -> list[Neighbourhood]:
    return list(db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)))


def _to_manage(cycle: Cycle):
    return redirect(url_for("cycles.manage_show", slug=cycle.slug), code=303)


@bp.get("/manage/")
@staff_required
def manage_index():
    cycles = db.session.scalars(select(Cycle).order_by(Cycle.created_at.desc(),
                                                       Cycle.id.desc())).all()
    return render_template("cycles/manage_index.html", cycles=cycles)


@bp.route("/manage/new", methods=["GET", "POST"])
@staff_required
def manage_create():
    hoods = _neighbourhoods()
    form = CycleForm(neighbourhood_choices=hoods)
    if form.validate_on_submit():
        try:
            cycle = create_cycle(current_user, **form.settings({n.id: n for n in hoods}))
        except CycleInvalid as error:
            form[error.field if error.field in form else "name"].errors.append(str(error))
        else:
            db.session.commit()
            flash(gettext("Cycle “%(cycle)s” created as a draft.", cycle=cycle.name), "success")
            return _to_manage(cycle)
    return render_template("cycles/manage_form.html", form=form, cycle=None)


@bp.route("/manage/<slug>/edit", methods=["GET", "POST"])
@staff_required
def manage_edit(slug: str):
    cycle = _managed_or_404(slug)
    hoods = _neighbourhoods()
    locked = locked_fields(cycle)
    form = CycleForm(obj=cycle, neighbourhood_choices=hoods, locked=locked,
                     voting=cycle.phase == "voting", data=CycleForm.translation_data(cycle))
    if not form.is_submitted():
        form.shown_phase.data = cycle.phase
        if "neighbourhoods" in form:
            form.neighbourhoods.data = [n.id for n in cycle.neighbourhoods]
    elif form.validate():
        if form.shown_phase.data != cycle.phase:
            flash(gettext("The cycle moved to the %(phase)s phase while you were editing; some "
                          "settings may now be fixed. Check the form and save again.",
                          phase=FILTERS["phase_label"](cycle.phase)), "error")
            form.shown_phase.data = cycle.phase
            form.shown_phase.raw_data = None
            return render_template("cycles/manage_form.html", form=form, cycle=cycle,
                                   locked=locked)
        try:
            reason = form.close_reason.data if "close_reason" in form else None
            changes = update_cycle(cycle, current_user, close_reason=reason,
                                   **form.settings({n.id: n for n in hoods}))
        except CycleInvalid as error:
            form[error.field if error.field in form else "name"].errors.append(str(error))
        except PhaseError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(gettext("Saved.") if changes else gettext("Nothing changed."), "success")
            return _to_manage(cycle)
        db.session.rollback()
    return render_template("cycles/manage_form.html", form=form, cycle=cycle, locked=locked)


@bp.get("/manage/<slug>")
@staff_required
def manage_show(slug: str):
    cycle = _managed_or_404(slug)
    return render_template("cycles/manage_show.html", cycle=cycle, phases=PHASES,
                           moves=phase_moves(cycle), stats=cycle_stats(cycle),
                           results=latest_results(cycle))


@bp.post("/manage/<slug>/phase")
@staff_required
def manage_phase(slug: str):
    cycle = _managed_or_404(slug)
    form = PhaseForm()
    if not form.validate():
        abort(400)
    try:
        old = cycle.phase
        advance_phase(cycle, form.to.data, current_user)
    except PhaseError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(gettext("Moved from the %(old)s phase to the %(new)s phase.",
                      old=FILTERS["phase_label"](old), new=FILTERS["phase_label"](cycle.phase)),
              "success")
    return _to_manage(cycle)


@bp.post("/manage/<slug>/count")
@staff_required
def manage_count(slug: str):
    cycle = _managed_or_404(slug)
    if not ActionForm().validate():
        abort(400)
    try:
        result = count_cycle(cycle, current_user)
    except (PhaseError, tally.TallyError) as error:
        db.session.rollback()
        flash(gettext("Not counted: %(error)s", error=error), "error")
        return _to_manage(cycle)
    db.session.commit()
    flash(gettext("Counted %(ballots)s ballots. Review the result before publishing it.",
                  ballots=format_decimal(result.ballots)), "success")
    return redirect(url_for("cycles.manage_result", slug=cycle.slug, result_id=result.id),
                    code=303)


def _result_or_404(cycle: Cycle, result_id: int) -> Result:
    result = db.session.get(Result, result_id)
    if result is None or result.cycle_id != cycle.id:
        abort(404)
    return result


@bp.get("/manage/<slug>/results/<int:result_id>")
@staff_required
def manage_result(slug: str, result_id: int):
    cycle = _managed_or_404(slug)
    result = _result_or_404(cycle, result_id)
    return render_template("cycles/manage_result.html", cycle=cycle, **_result_context(result))


@bp.post("/manage/<slug>/results/<int:result_id>/publish")
@staff_required
def manage_publish(slug: str, result_id: int):
    cycle = _managed_or_404(slug)
    result = _result_or_404(cycle, result_id)
    if not ActionForm().validate():
        abort(400)
    try:
        publish_result(result, current_user)
    except PhaseError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("cycles.manage_result", slug=cycle.slug, result_id=result.id),
                        code=303)
    db.session.commit()
    flash(gettext("Result published; funded proposals are marked and the cycle is in "
                  "implementation."), "success")
    return _to_manage(cycle)


# The voter roll (staff). Import is all or nothing: a bad line refuses the whole file.
from ..voting.roll import HEADER as ROLL_HEADER, RollInvalid, import_roll, roll_table  # noqa: E402
from .forms import RollImportForm  # noqa: E402


@bp.route("/manage/<slug>/roll", methods=["GET", "POST"])
@staff_required
def manage_roll(slug: str):
    """The roll's size by neighbourhood and age band, and the CSV import."""
    cycle = _managed_or_404(slug)
    form = RollImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            report = import_roll(cycle, form.file.data.read(), current_user)
        except (RollInvalid, PhaseError) as error:
            db.session.rollback()
            problems = getattr(error, "problems", [str(error)])
        else:
            db.session.commit()
            flash(gettext("Imported %(rows)s rows: %(added)s added to the roll, %(already)s "
                          "already on it.", rows=format_decimal(report.rows),
                          added=format_decimal(report.added),
                          already=format_decimal(report.already)), "success")
            return redirect(url_for("cycles.manage_roll", slug=cycle.slug), code=303)
    return render_template("cycles/manage_roll.html", cycle=cycle, form=form, problems=problems,
                           header=",".join(ROLL_HEADER), table=roll_table(cycle))


# Voting codes (staff). Codes are shown once, as a CSV download; only their hashes are kept.
import csv  # noqa: E402
import io  # noqa: E402

from flask_wtf import FlaskForm  # noqa: E402
from sqlalchemy import func  # noqa: E402
from wtforms import StringField  # noqa: E402
from wtforms.validators import InputRequired, Length, NumberRange, Optional  # noqa: E402

from ..audit.services import record  # noqa: E402
from ..number_inputs import WholeNumberField  # noqa: E402
from ..voting.codes import (PERSONAL_HEADER, CodesRefused, anonymous_codes_refusal,  # noqa: E402
                            generate_codes, generate_roll_codes, personal_code_lines)
from ..voting.models import Participation, VotingCode  # noqa: E402

MAX_CODES = 100_000


class CodesForm(FlaskForm):
    count = WholeNumberField("How many codes", validators=[
        InputRequired(message="Give the number of codes to make."),
        NumberRange(min=1, max=MAX_CODES,
                    message=f"Make between 1 and {MAX_CODES:,} codes at a time.")])
    batch = StringField("Batch label (optional)", validators=[Optional(), Length(max=80)])


class RollCodesForm(FlaskForm):
    """Personal codes: one per roll entry without one, so no count to give."""
    batch = StringField("Batch label (optional)", validators=[Optional(), Length(max=80)])


def _code_counts(cycle: Cycle) -> dict:
    made = db.session.scalar(select(func.count(VotingCode.id))
                             .where(VotingCode.cycle_id == cycle.id)) or 0
    voted = db.session.scalar(select(func.count(Participation.id)).where(
        Participation.cycle_id == cycle.id, Participation.channel == "code")) or 0
    return {"made": made, "voted": voted}


def _codes_download(cycle: Cycle, header, lines):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(lines)
    response = make_response(out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{cycle.slug}-codes.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/manage/<slug>/codes", methods=["GET", "POST"])
@staff_required
def manage_codes(slug: str):
    """How many codes exist and have voted; making more returns them once, as a CSV file. A
    cycle with a voter roll gets personal codes (one per entry), any other anonymous ones,
    which are refused where accounts vote too (see ``anonymous_codes_refusal``)."""
    cycle = _managed_or_404(slug)
    personal = cycle.use_roll
    form = RollCodesForm() if personal else CodesForm()  # CSRFProtect refuses a tokenless POST
    refusal = None if personal else anonymous_codes_refusal(cycle)
    if form.validate_on_submit():
        batch = (form.batch.data or "").strip() or None
        try:
            if cycle.phase == "closed":
                raise CodesRefused("This cycle is closed; no codes were made.")
            if personal:
                header, lines = PERSONAL_HEADER, personal_code_lines(
                    generate_roll_codes(cycle, batch=batch))
            else:
                header = ["code"]
                lines = [[c] for c in generate_codes(cycle, form.count.data, batch=batch)]
            record(current_user, "codes.generate", target=f"cycle:{cycle.slug}",
                   count=len(lines), personal=personal)
            db.session.commit()
        except CodesRefused as error:
            db.session.rollback()
            form.batch.errors = [*form.batch.errors, str(error)]
        except BaseException:
            db.session.rollback()
            raise
        else:
            return _codes_download(cycle, header, lines)
    return render_template("cycles/manage_codes.html", cycle=cycle, form=form, refusal=refusal,
                           personal=personal, counts=_code_counts(cycle),
                           max_codes=MAX_CODES), \
        (422 if form.errors else 200)
