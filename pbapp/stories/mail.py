"""The email that gives the author the story's withdrawal link.

It goes through the mail queue (``pbapp.mail.queue``), committed with the story. The queue keeps
a sent message's body, so the link is readable in the database's ``outgoing_mail`` table by
whoever can read the database; the story's own row holds only the link's hash.
"""
from __future__ import annotations

from flask_babel import gettext as _

from .. import mail


def send_withdrawal_link(user, link: str) -> None:
    body = _("Thank you for sharing your story. Staff will read it before anything is "
             "published.\n\nYou can withdraw it at any time, before or after it is published, "
             "with this private link (keep it to yourself: whoever has it can withdraw the "
             "story):\n\n%(link)s\n\nWithdrawing erases the story's text and picture at once.",
             link=link)
    mail.queue(user.email, _("Your story: the link to withdraw it"), body)
