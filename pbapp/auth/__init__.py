"""Accounts, roles and sign-in."""
from flask import Blueprint
from flask_babel import lazy_gettext

from ..extensions import db, login_manager

bp = Blueprint("auth", __name__, url_prefix="/auth")
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Sign in to see this page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str):
    """``id.version`` (see ``User.get_id``): a session older than the account's last sign-out or
    password change names an old version and loads nobody."""
    from .models import User

    ident, _, version = user_id.partition(".")
    if not (ident.isascii() and ident.isdigit() and version.isascii() and version.isdigit()):
        return None
    if len(ident) > 18:
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.deleted_at is not None or str(user.session_version or 0) != version:
        return None
    return user


from . import account_views, link_views, oidc_views, verify_views, views  # noqa: E402,F401
