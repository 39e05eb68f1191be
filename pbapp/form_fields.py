"""Form fields shared by several blueprints."""
from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes: easier on a phone than a multi-select, which
    needs Ctrl-click on a desktop and hides its choices on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
