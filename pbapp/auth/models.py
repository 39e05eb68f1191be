"""Accounts. Roles are site-wide; board membership is a separate, per-board fact."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models_base import UTCDateTime, utcnow

ROLES = ("resident", "staff", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: read through ``name``, which says "deleted account" once the owner deleted it
    stored_name: Mapped[str] = mapped_column("name", String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default="resident")
    neighbourhood_id: Mapped[int | None] = mapped_column(db.ForeignKey("neighbourhood.id"))
    birth_year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: set when the owner followed the emailed link: only then does the account vote or match
    #: a voter-roll entry (see ``pbapp.auth.verification``)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: part of every session's user id: raising it ends every session of the account
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: part of one-time sign-in links, so a link works once and not after a later sign-in
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set when the owner deleted the account: the row stays, emptied, so what it wrote keeps
    #: its author ("deleted account") and its id is never handed to anyone else
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: an earlier, deleted account of the same email address: this one votes as that one, so
    #: deleting an account and signing up again gives no second ballot (``pbapp.auth.deletion``)
    votes_as_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

    @hybrid_property
    def name(self):
        if self.deleted_at is not None:
            return lazy_gettext("deleted account")
        return self.stored_name

    @name.inplace.setter
    def _name_setter(self, value: str) -> None:
        self.stored_name = value

    @name.inplace.expression
    @classmethod
    def _name_expression(cls):
        return cls.stored_name

    @property
    def voter_id(self) -> int:
        """The id its ballots are keyed by (see ``votes_as_id``)."""
        return self.votes_as_id or self.id

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Sessions and remember cookies hold ``id.version``: a session from before the last
        sign-out or password change no longer loads the user."""
        return f"{self.id}.{self.session_version or 0}"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role in ("staff", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
