"""Budget cycles, their proposals on the ballot, and published results."""
from flask import Blueprint

bp = Blueprint("cycles", __name__, url_prefix="/cycles")

from . import views  # noqa: E402,F401
from . import override_views  # noqa: E402,F401


@bp.app_context_processor
def _time_words():
    """The site's time zone and a window's last minute, in words, for every template."""
    from .window import last_minute_words, zone_words

    return {"zone_words": zone_words, "last_minute_words": last_minute_words}
