"""Telling a proposal's author and the board's members that someone commented.

Queued through ``pbapp.mail.queue`` in the comment's own transaction and sent by the mail worker
(``flask mail send``): a mail server that is down delays the email and never costs the comment
or the email. The email names the page, not the words: a comment hidden later must not live on
in people's inboxes.
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
    """Queue one email to each person to tell, in English and Spanish; how many were queued."""
    endpoint = "proposals.show" if isinstance(item, Proposal) else "projects.show"
    link = url_for(endpoint, _external=True, _anchor=f"comment-{comment.id}",
                   **({"proposal_id": item.id} if isinstance(item, Proposal)
                      else {"project_id": item.id}))
    en_subject, en_body = _message(item, comment, "en")
    _es_subject, es_body = _message(item, comment, "es")
    text = f"{en_body}\n{link}\n\n{es_body}\n{link}\n"
    people = people_to_tell(item, comment.author)
    for person in people:
        mail.queue(person.email, en_subject, text)
    return len(people)
