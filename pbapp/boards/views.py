"""Board pages: public reading for everyone; admins run boards, chairs run members and meetings.

Each handler loads (404) → checks the role (403) → calls a service → commits once and redirects
with 303, or shows the same form with its errors and nothing saved.
"""
from __future__ import annotations

import functools
from datetime import timezone

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_timezone, gettext, to_user_timezone
from flask_login import current_user, login_required
from sqlalchemy import select

from ..auth.permissions import admin_required
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..models_base import utcnow
from . import bp
from .forms import BoardForm, InviteForm, MeetingForm, MembershipForm, choice
from .models import Board, Meeting, Membership
from .services import (SEAT_LABELS, BoardError, OwnSeat, board_by_slug, boards_by_name,
                       can_manage, create_board, invite_member, members_in_order,
                       refuse_own_seat, remove_membership, save_meeting, update_board,
                       update_membership)


@bp.app_template_filter("seat_label")
def seat_label(seat: str) -> str:
    return SEAT_LABELS.get(seat, seat.replace("_", " ").capitalize())


def _board_or_404(slug: str) -> Board:
    board = board_by_slug(slug)
    if board is None:
        abort(404)
    return board


def _child_or_404(model, child_id: int, board: Board):
    child = db.session.get(model, child_id)
    if child is None or child.board_id != board.id:
        abort(404)
    return child


def chair_required(view):
    """Signed in (else login), the board exists (else 404), and the user is one of its
    chairs or an admin (else 403). The view receives the board instead of its slug."""
    @functools.wraps(view)
    @login_required
    def checked(slug: str, **kwargs):
        board = _board_or_404(slug)
        if not can_manage(current_user, board):
            abort(403)
        return view(board, **kwargs)
    return checked


def _refused(form, error: BoardError) -> None:
    """Undo anything half-done and pin the message on its field (or the whole form)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _with_neighbourhoods(form: BoardForm) -> BoardForm:
    hoods = db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name))
    form.neighbourhoods.choices = [choice(n.id, n.name) for n in hoods]
    return form


def _board_fields(form: BoardForm) -> dict:
    # a field left out of the post is None, not "": optional texts default to empty
    return {"name": form.name.data.strip(), "slug": form.slug.data.strip(),
            "purpose": (form.purpose.data or "").strip(), "charter": form.charter.data or "",
            "neighbourhood_ids": form.neighbourhoods.data or [],
            "translations": form.translations()}


def _term_fields(form: MembershipForm) -> dict:
    return {"seat": form.seat.data, "organisation": (form.organisation.data or "").strip(),
            "is_chair": form.is_chair.data, "term_start": form.term_start.data,
            "term_end": form.term_end.data}


@bp.get("/")
def index():
    boards = db.session.scalars(boards_by_name()).all()
    return render_template("boards/index.html", boards=boards)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    form = _with_neighbourhoods(BoardForm())
    if form.validate_on_submit():
        try:
            board = create_board(current_user, **_board_fields(form))
        except BoardError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("Board “%(name)s” created.", name=board.name), "success")
            return redirect(url_for("boards.show", slug=board.slug), 303)
    return render_template("boards/board_form.html", form=form, board=None)


@bp.get("/<slug>")
def show(slug: str):
    board = _board_or_404(slug)
    now, seats = utcnow(), members_in_order(board)
    return render_template("boards/show.html", board=board,
                           members=[m for m in seats if not m.has_ended()],
                           past_members=[m for m in seats if m.has_ended()],
                           upcoming=[m for m in reversed(board.meetings) if m.starts_at >= now],
                           past=[m for m in board.meetings if m.starts_at < now],
                           can_manage=can_manage(current_user, board))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@admin_required
def edit(slug: str):
    board = _board_or_404(slug)
    form = _with_neighbourhoods(BoardForm(obj=board, data=BoardForm.translation_data(board)))
    if not form.is_submitted():
        form.neighbourhoods.data = [n.id for n in board.neighbourhoods]
    if form.validate_on_submit():
        try:
            update_board(board, current_user, **_board_fields(form))
        except BoardError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("Board saved."), "success")
            return redirect(url_for("boards.show", slug=board.slug), 303)
    return render_template("boards/board_form.html", form=form, board=board)


@bp.get("/<slug>/members")
@chair_required
def members(board: Board):
    return render_template("boards/members.html", board=board, members=members_in_order(board))


@bp.route("/<slug>/members/new", methods=["GET", "POST"])
@chair_required
def invite(board: Board):
    form = InviteForm()
    if not current_user.is_admin:
        form.existing_accounts_only()
    if form.validate_on_submit():
        try:
            invitation = invite_member(board, current_user, email=form.email.data,
                                       create_account=form.account.data == "new",
                                       name=form.name.data or "", **_term_fields(form))
        except BoardError as error:
            _refused(form, error)
        else:
            db.session.commit()
            member = invitation.membership.user
            if invitation.emailed is None:
                flash(gettext("%(name)s added to the board.", name=member.name), "success")
            elif invitation.emailed:
                flash(gettext("An account was created for %(name)s and added to the board. We "
                              "have emailed %(email)s a link to choose a password; it works for "
                              "7 days.", name=member.name, email=member.email), "success")
            else:
                flash(gettext("An account was created for %(name)s and added to the board, but "
                              "the email with the link to choose a password could not be sent "
                              "just now. They can ask for a new link with \"Forgot your "
                              "password?\" on the sign-in page.", name=member.name), "error")
            return redirect(url_for("boards.members", slug=board.slug), 303)
    return render_template("boards/invite.html", board=board, form=form)


@bp.route("/<slug>/members/<int:membership_id>/edit", methods=["GET", "POST"])
@chair_required
def edit_member(board: Board, membership_id: int):
    membership = _child_or_404(Membership, membership_id, board)
    try:
        refuse_own_seat(membership, current_user)
    except OwnSeat as error:
        return render_template("boards/edit_member.html", board=board, membership=membership,
                               form=None, refusal=str(error)), 403
    form = MembershipForm(obj=membership)
    if form.validate_on_submit():
        try:
            update_membership(membership, current_user, **_term_fields(form))
        except BoardError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("Seat of %(name)s saved.", name=membership.user.name), "success")
            return redirect(url_for("boards.members", slug=board.slug), 303)
    return render_template("boards/edit_member.html", board=board, membership=membership,
                           form=form)


@bp.post("/<slug>/members/<int:membership_id>/remove")
@chair_required
def remove_member(board: Board, membership_id: int):
    membership = _child_or_404(Membership, membership_id, board)
    name = membership.user.name
    remove_membership(membership, current_user)
    db.session.commit()
    flash(gettext("%(name)s removed from the board.", name=name), "success")
    return redirect(url_for("boards.members", slug=board.slug), 303)


@bp.get("/<slug>/meetings/<int:meeting_id>")
def meeting(slug: str, meeting_id: int):
    board = _board_or_404(slug)
    item = _child_or_404(Meeting, meeting_id, board)
    return render_template("boards/meeting.html", board=board, meeting=item,
                           can_manage=can_manage(current_user, board))


def _meeting_page(board: Board, item: Meeting | None):
    form = MeetingForm(obj=item, data=MeetingForm.translation_data(item) if item else None)
    if item is not None and not form.is_submitted():
        form.starts_at.data = to_user_timezone(item.starts_at).replace(tzinfo=None)
    if form.validate_on_submit():
        local = get_timezone().localize(form.starts_at.data)
        try:
            item = save_meeting(board, current_user, item, title=form.title.data.strip(),
                                starts_at=local.astimezone(timezone.utc),
                                location=(form.location.data or "").strip(),
                                agenda=form.agenda.data or "", minutes=form.minutes.data or "",
                                translations=form.translations())
        except BoardError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("Meeting saved."), "success")
            return redirect(url_for("boards.meeting", slug=board.slug, meeting_id=item.id), 303)
    return render_template("boards/meeting_form.html", board=board, meeting=item, form=form)


@bp.route("/<slug>/meetings/new", methods=["GET", "POST"])
@chair_required
def new_meeting(board: Board):
    return _meeting_page(board, None)


@bp.route("/<slug>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@chair_required
def edit_meeting(board: Board, meeting_id: int):
    return _meeting_page(board, _child_or_404(Meeting, meeting_id, board))
