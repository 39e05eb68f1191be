"""What people read instead of stored codes: phases, statuses, seats, roles, methods, reasons.

One set of labels for every page (public, staff, reports) in both languages: a code such as
``equal-shares`` or ``not affordable`` is never shown as it is stored (``RAW_CODES`` lists the
ones a test looks for on the pages). Each is looked up in the reader's language when the page
renders.
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
    return {"draft": pgettext("proposal status", "Draft"),
            "submitted": pgettext("proposal status", "Submitted"),
            "accepted": pgettext("proposal status", "Accepted"),
            "rejected": pgettext("proposal status", "Rejected"),
            "withdrawn": pgettext("proposal status", "Withdrawn"),
            "funded": pgettext("proposal status", "Funded"),
            "not_funded": pgettext("proposal status", "Not funded")}


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
    return {"irv": pgettext("counting method", "instant runoff"),
            "stv": pgettext("counting method", "single transferable vote"),
            "schulze": pgettext("counting method", "Schulze method"),
            "ranked_pairs": pgettext("counting method", "ranked pairs"),
            "borda": pgettext("counting method", "Borda count"),
            "greedy": pgettext("counting method", "most points first, within the budget"),
            "greedy-no-skip": pgettext("counting method", "most points first, stopping at the "
                                                          "first that does not fit"),
            "greedy-threshold": pgettext("counting method", "most points first, with a "
                                                            "minimum support"),
            "equal-shares": pgettext("counting method", "Method of Equal Shares")}


def _funding_reasons() -> dict[str, str]:
    """Why a project was or was not funded, as ``pbapp.tally`` records it."""
    return {"part-funded": pgettext("funding reason", "part-funded with the money left"),
            "funded": pgettext("funding reason", "funded in order of points"),
            "did not fit": pgettext("funding reason", "it did not fit in the money left"),
            "below threshold": pgettext("funding reason", "below the minimum points"),
            "not reached": pgettext("funding reason", "the count ended before reaching it"),
            "withdrawn": pgettext("funding reason", "withdrawn from the ballot"),
            "over budget": pgettext("funding reason", "it costs more than the whole budget"),
            "not affordable": pgettext("funding reason",
                                       "its supporters could not pay for it"),
            "no support": pgettext("funding reason", "nobody supported it"),
            "equal shares": pgettext("funding reason",
                                     "paid from its supporters' equal shares"),
            "completion": pgettext("funding reason", "funded with the money left at the end")}


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

#: stored codes that must never reach a page as text (see tests/app/test_no_raw_codes.py);
#: phases are not here (their English labels are the plain words, "draft", "voting"), nor
#: "funded" and "not funded", words the pages use as words ("Summer youth jobs (funded)")
RAW_CODES = ("irv", "stv", "schulze", "ranked_pairs", "borda", "greedy", "greedy-no-skip",
             "greedy-threshold", "equal-shares", "submitted", "accepted", "rejected",
             "withdrawn", "not_funded", "planned", "in_progress",
             "completed", "paused", "cancelled", "did not fit", "below threshold",
             "not reached", "over budget", "not affordable", "no support", "equal shares",
             "completion")


class LabelFilters(Extension):
    """Adds the label filters to the app's Jinja environment."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters.update(FILTERS)
