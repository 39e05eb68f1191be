"""Role checks for views. Every state change checks the role here and the phase in its service."""
from __future__ import annotations

import functools

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles: str):
    """Signed in (else redirect to login) and holding one of ``roles`` (else 403)."""
    def wrap(view):
        @functools.wraps(view)
        @login_required
        def checked(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return checked
    return wrap


staff_required = roles_required("staff", "admin")
admin_required = roles_required("admin")
