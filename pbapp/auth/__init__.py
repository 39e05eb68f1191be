"""Accounts, roles and sign-in."""
from ..extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str):
    from .models import User

    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
