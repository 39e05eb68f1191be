"""What the public reads instead of stored codes: phases, statuses, seats, roles, methods.

The English label is what the pages showed before translation (often the code itself), so
English stays word for word; each is looked up in the resident's language when the page renders.
Registered as Jinja filters by ``LabelFilters`` (``app.jinja_env.add_extension``).
"""
from __future__ import annotations

from flask_babel import gettext, pgettext
from jinja2.ext import Extension


def _phases() -> dict[str, str]:
    return {"draft": pgettext("cycle phase", "draft"),
            "proposals": pgettext("cycle phase", "proposals"),
            "review": pgettext("cycle phase", "review"),
            "voting": pgettext("cycle phase", "voting"),
            "counting": pgettext("cycle phase", "counting"),
            "implementation": pgettext("cycle phase", "implementation"),
            "closed": pgettext("cycle phase", "closed")}


def _proposal_statuses() -> dict[str, str]:
    return {"draft": pgettext("proposal status", "draft"),
            "submitted": pgettext("proposal status", "submitted"),
            "accepted": pgettext("proposal status", "accepted"),
            "rejected": pgettext("proposal status", "rejected"),
            "withdrawn": pgettext("proposal status", "withdrawn"),
            "funded": pgettext("proposal status", "funded"),
            "not_funded": pgettext("proposal status", "not funded")}


def _project_statuses() -> dict[str, str]:
    return {"planned": pgettext("project status", "Planned"),
            "in_progress": pgettext("project status", "In progress"),
            "completed": pgettext("project status", "Completed"),
            "paused": pgettext("project status", "Paused"),
            "cancelled": pgettext("project status", "Cancelled")}


def _seats() -> dict[str, str]:
    return {"police": pgettext("board seat", "Police"),
            "public_health": pgettext("board seat", "Public health"),
            "school": pgettext("board seat", "School"),
            "faith": pgettext("board seat", "Faith community"),
            "nonprofit": pgettext("board seat", "Nonprofit"),
            "resident": pgettext("board seat", "Resident"),
            "youth": pgettext("board seat", "Youth")}


def _roles() -> dict[str, str]:
    return {"resident": pgettext("account role", "resident"),
            "staff": pgettext("account role", "staff"),
            "admin": pgettext("account role", "admin")}


def _methods() -> dict[str, str]:
    return {"irv": pgettext("counting method", "irv"),
            "stv": pgettext("counting method", "stv"),
            "schulze": pgettext("counting method", "schulze"),
            "ranked_pairs": pgettext("counting method", "ranked_pairs"),
            "borda": pgettext("counting method", "borda"),
            "greedy": pgettext("counting method", "greedy"),
            "greedy-no-skip": pgettext("counting method", "greedy-no-skip"),
            "greedy-threshold": pgettext("counting method", "greedy-threshold"),
            "equal-shares": pgettext("counting method", "equal-shares")}


def _funding_reasons() -> dict[str, str]:
    """Why a project was or was not funded, as ``pbapp.tally`` records it."""
    return {"part-funded": pgettext("funding reason", "part-funded with the money left"),
            "funded": pgettext("funding reason", "funded"),
            "did not fit": pgettext("funding reason", "did not fit"),
            "below threshold": pgettext("funding reason", "below threshold"),
            "not reached": pgettext("funding reason", "not reached"),
            "withdrawn": pgettext("funding reason", "withdrawn"),
            "over budget": pgettext("funding reason", "over budget"),
            "not affordable": pgettext("funding reason", "not affordable"),
            "no support": pgettext("funding reason", "no support"),
            "equal shares": pgettext("funding reason", "equal shares"),
            "completion": pgettext("funding reason", "completion")}


def _error_titles() -> dict[int, str]:
    return {400: gettext("Bad request"), 403: gettext("Not allowed"),
            404: gettext("Page not found"), 413: gettext("Upload too large"),
            429: gettext("Too many attempts"),
            500: gettext("Something went wrong"), 503: gettext("Briefly unavailable")}


def N_(message: str) -> str:
    """Mark a text for ``pybabel extract`` only; it is translated where it is shown."""
    return message


#: texts of templates/_macros/, which ``pybabel extract`` skips (it ignores folders named "_…")
MACRO_TEXTS = (N_("Please correct the errors below."),)


def _labeller(table, fallback=lambda code: str(code).replace("_", " ")):
    def label(code) -> str:
        if code is None:
            return ""
        return table().get(code) or fallback(code)
    return label


FILTERS = {
    "phase_label": _labeller(_phases),
    "status_label": _labeller(_proposal_statuses),
    "project_status_label": _labeller(_project_statuses),
    "board_seat_label": _labeller(_seats, lambda code: code.replace("_", " ").capitalize()),
    "role_label": _labeller(_roles),
    "method_label": _labeller(_methods, str),
    "error_title": _labeller(_error_titles, lambda code: ""),
    "reason_label": _labeller(_funding_reasons, str),
}


class LabelFilters(Extension):
    """Adds the label filters to the app's Jinja environment."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters.update(FILTERS)
