"""How a follower wants to be told."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired


class HowForm(FlaskForm):
    how = RadioField(_l("Email me"), choices=[
        ("now", _l("at once, one email per change")),
        ("daily", _l("once a day, one digest of every change"))],
        validators=[InputRequired(_l("Choose at once or a daily digest."))])
