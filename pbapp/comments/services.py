"""Posting, editing, flagging and moderating comments. Each verb checks who may act and on
what, flushes, and (for staff's moderation) writes an audit event; the request commits once."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..boards.models import Membership
from ..extensions import db
from ..models_base import utcnow
from ..projects.models import Project
from ..proposals.models import Proposal
from ..request_text import control_in
from .models import BODY_MAX, FLAG_REASON_MAX, HIDE_REASON_MAX, Comment, CommentFlag


class Refused(Exception):
    """Said to the person in words; nothing was changed."""


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_staff", False))


def current_seat(user, board_id: int | None) -> Membership | None:
    """The seat the user holds today: on the item's board first, else any board."""
    if not getattr(user, "is_authenticated", False):
        return None
    seats = db.session.scalars(select(Membership).where(
        Membership.user_id == user.id, Membership.current_on()).order_by(Membership.id)).all()
    return next((m for m in seats if m.board_id == board_id), seats[0] if seats else None)


def why_not_comment(user) -> str | None:
    """None when ``user`` may comment: a verified account, a board member or staff."""
    if not getattr(user, "is_authenticated", False):
        return _("Sign in to comment.")
    if getattr(user, "deleted_at", None) is not None:
        return _("This account was deleted.")
    if _is_staff(user) or user.email_verified_at is not None or current_seat(user, None):
        return None
    return _("Confirm your email address first (see your account page); then you can comment.")


def clean_text(text: str | None, longest: int, empty: str) -> str:
    """Text as typed, refused whole when empty, too long or holding characters nobody types
    (the site refuses those for every request already; this holds for any other caller)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise Refused(empty)
    if control_in(text, multiline=True):
        raise Refused(_("The text holds a control character (such as a null byte), which "
                        "nobody types; nothing was saved."))
    if len(text) > longest:
        raise Refused(_("The text is at most %(n)s characters (it has %(has)s); nothing was "
                        "saved.", n=f"{longest:,}", has=f"{len(text):,}"))
    return text


def _on(comment: Comment, item) -> bool:
    if isinstance(item, Proposal):
        return comment.proposal_id == item.id
    return comment.project_id == item.id


def post(user, item: Proposal | Project, body: str, parent: Comment | None = None) -> Comment:
    """A new comment, or a reply to a top-level comment of the same item (replies go one level
    deep: a reply to a reply is refused rather than silently re-parented)."""
    why = why_not_comment(user)
    if why:
        raise Refused(why)
    text = clean_text(body, BODY_MAX, _("Write your comment first."))
    if parent is not None:
        if not _on(parent, item):
            raise Refused(_("That comment belongs to another page; nothing was posted."))
        if parent.parent_id is not None:
            raise Refused(_("Replies go one level deep: reply to the first comment of the "
                            "thread instead."))
        if parent.hidden:
            raise Refused(_("A hidden comment takes no replies."))
    seat = current_seat(user, item.board_id)
    comment = Comment(body=text, author_id=user.id, parent_id=parent.id if parent else None,
                      proposal_id=item.id if isinstance(item, Proposal) else None,
                      project_id=item.id if isinstance(item, Project) else None,
                      author_seat=seat.seat if seat else "",
                      author_organisation=(seat.organisation or "") if seat else "",
                      author_board_id=seat.board_id if seat else None)
    db.session.add(comment)
    db.session.flush()
    return comment


def edit(user, comment: Comment, body: str) -> Comment:
    """The author's own words, changed; the comment then says "edited" with the time."""
    if comment.author_id != getattr(user, "id", None):
        raise Refused(_("Only its author can edit a comment."))
    if comment.hidden:
        raise Refused(_("A hidden comment cannot be edited."))
    text = clean_text(body, BODY_MAX, _("Write your comment first."))
    if text != comment.body:
        comment.body = text
        comment.edited_at = utcnow()
        db.session.flush()
    return comment


def flag(user, comment: Comment, reason: str) -> CommentFlag:
    """Once per person per comment: a second flag is refused, under a race too."""
    if not getattr(user, "is_authenticated", False):
        raise Refused(_("Sign in to flag a comment."))
    if comment.hidden:
        raise Refused(_("This comment is already hidden."))
    if comment.author_id == user.id:
        raise Refused(_("You cannot flag your own comment; edit it instead."))
    text = clean_text(reason, FLAG_REASON_MAX, _("Say why you flag this comment."))
    row = CommentFlag(comment_id=comment.id, user_id=user.id, reason=text)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise Refused(_("You have already flagged this comment; a moderator will look at "
                        "it.")) from None
    return row


def hide(staff, comment: Comment, reason: str) -> Comment:
    """Staff hide a comment with a public reason; its text leaves every page and the API."""
    if not _is_staff(staff):
        raise Refused(_("Only staff moderate comments."))
    if comment.hidden:
        raise Refused(_("This comment is already hidden."))
    text = clean_text(reason, HIDE_REASON_MAX, _("Give the public reason for hiding it."))
    if "\n" in text:
        raise Refused(_("The public reason is one line."))
    now = utcnow()
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = now, staff.id, text
    for f in comment.open_flags:
        f.resolved_at = now
    record(staff, "comment.hide", f"comment:{comment.id}", reason=text,
           flags=len(comment.flags))
    db.session.flush()
    return comment


def keep(staff, comment: Comment) -> Comment:
    """Staff looked at the flags and keep the comment: they leave the queue."""
    if not _is_staff(staff):
        raise Refused(_("Only staff moderate comments."))
    opened = comment.open_flags
    if not opened:
        raise Refused(_("This comment has no open flags."))
    now = utcnow()
    for f in opened:
        f.resolved_at = now
    record(staff, "comment.keep", f"comment:{comment.id}", flags=len(opened))
    db.session.flush()
    return comment


def thread(item: Proposal | Project) -> list[Comment]:
    """The item's top-level comments, oldest first, each with its replies loaded."""
    column = Comment.proposal_id if isinstance(item, Proposal) else Comment.project_id
    return list(db.session.scalars(
        select(Comment).where(column == item.id, Comment.parent_id.is_(None))
        .options(selectinload(Comment.replies)).order_by(Comment.id)).unique())


def flagged() -> list[Comment]:
    """The moderation queue: visible comments with open flags, oldest flag first."""
    open_flag = exists().where(CommentFlag.comment_id == Comment.id,
                               CommentFlag.resolved_at.is_(None))
    return list(db.session.scalars(
        select(Comment).where(open_flag, Comment.hidden_at.is_(None))
        .options(selectinload(Comment.flags).selectinload(CommentFlag.user))
        .order_by(Comment.id)).unique())


def recent(limit: int = 30) -> list[Comment]:
    return list(db.session.scalars(select(Comment).order_by(Comment.id.desc()).limit(limit))
                .unique())


def item_of(comment: Comment) -> Proposal | Project:
    if comment.proposal_id is not None:
        return db.session.get(Proposal, comment.proposal_id)
    return db.session.get(Project, comment.project_id)


def people_to_tell(item: Proposal | Project, commenter) -> list:
    """The proposal's author and the item's board's current members, never the commenter."""
    from ..auth.models import User

    proposal = item if isinstance(item, Proposal) else item.proposal
    ids = set(db.session.scalars(select(Membership.user_id).where(
        Membership.board_id == item.board_id, Membership.current_on())))
    if proposal is not None and proposal.author_id:
        ids.add(proposal.author_id)
    ids.discard(commenter.id)
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(
        User.id.in_(ids), User.deleted_at.is_(None)).order_by(User.id)))

