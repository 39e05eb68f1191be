"""Form fields shared by several blueprints."""
from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes: easier on a phone than a multi-select, which
    needs Ctrl-click on a desktop and hides its choices on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TranslationFields:
    """For forms with optional texts in other languages: a field ``<name>_<locale>`` for each
    name in ``TRANSLATED[locale]``, saved through the model's ``Translated.translate``."""

    TRANSLATED: dict[str, tuple[str, ...]] = {}

    def translations(self) -> dict[str, dict[str, str]]:
        """The translated texts typed in, by locale (empty ones included; the service drops
        them so the original shows instead)."""
        return {locale: {name: (self[f"{name}_{locale}"].data or "") for name in names}
                for locale, names in self.TRANSLATED.items()}

    @classmethod
    def translation_data(cls, item) -> dict[str, str]:
        """Form data for the translated fields from a stored item, for the edit form."""
        stored = item.translations or {}
        return {f"{name}_{locale}": (stored.get(locale) or {}).get(name, "")
                for locale, names in cls.TRANSLATED.items() for name in names}
