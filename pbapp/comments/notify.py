"""Telling a proposal's author and the board's members that someone commented.

Sent at once through ``pbapp.mail`` after the comment is committed (a mail server that is down
costs the email, never the comment). The email names the page, not the words: a comment hidden
later must not live on in people's inboxes.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import force_locale, gettext

from .. import mail
from ..proposals.models import Proposal
from .models import Comment
from .services import people_to_tell


def _message(item, comment: Comment, locale: str) -> tuple[str, str]:
    with force_locale(locale):
        if isinstance(item, Proposal):
            subject = gettext("New comment on the proposal “%(title)s”",
                              title=item.text("title", locale))
        else:
            subject = gettext("New comment on the project “%(title)s”",
                              title=item.text("title", locale))
        body = gettext("%(name)s commented on “%(title)s”. Read it here:",
                       name=comment.author.name, title=item.text("title", locale))
    return subject, body


def tell(item, comment: Comment) -> int:
    """One email to each person to tell, in English and Spanish; how many were sent."""
    endpoint = "proposals.show" if isinstance(item, Proposal) else "projects.show"
    link = url_for(endpoint, _external=True, _anchor=f"comment-{comment.id}",
                   **({"proposal_id": item.id} if isinstance(item, Proposal)
                      else {"project_id": item.id}))
    en_subject, en_body = _message(item, comment, "en")
    _es_subject, es_body = _message(item, comment, "es")
    text = f"{en_body}\n{link}\n\n{es_body}\n{link}\n"
    sent = 0
    for person in people_to_tell(item, comment.author):
        sent += mail.send(person.email, en_subject, text)
    return sent
