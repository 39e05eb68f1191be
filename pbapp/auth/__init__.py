"""Accounts, roles and sign-in."""
from flask import Blueprint

from ..extensions import db, login_manager

bp = Blueprint("auth", __name__, url_prefix="/auth")
login_manager.login_view = "auth.login"


@login_manager.user_loader
def load_user(user_id: str):
    from .models import User

    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


from . import views  # noqa: E402,F401
