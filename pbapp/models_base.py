"""Column helpers every domain model shares."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def site_today() -> date:
    """Today in the city (``BABEL_DEFAULT_TIMEZONE``), not on the server's clock: a date the
    city sets, such as the last day of a board term, ends at the city's midnight."""
    from flask import current_app, has_app_context

    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return datetime.now(ZoneInfo(zone or "UTC")).date()


class UTCDateTime(TypeDecorator):
    """Stored as naive UTC (SQLite has no zones), always returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


#: languages an item's texts may be given in besides the one it was written in
TRANSLATION_LOCALES = ("es",)


class TranslationRefused(ValueError):
    """A translation the item cannot take (unknown language or field, or too long)."""


class Translated:
    """An item whose public texts may be given in other languages: residents reading in one
    see that text, else the original. Each model names its ``TRANSLATED_FIELDS`` with their
    longest lengths; descriptions keep their Markdown as typed, other texts are trimmed.
    Stored as ``{"es": {"title": ..., "summary": ...}}``."""

    TRANSLATED_FIELDS: dict[str, int] = {}
    #: fields kept as typed (Markdown), not trimmed
    MARKDOWN_FIELDS: tuple[str, ...] = ("description",)

    translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")

    def text(self, field: str, locale=None) -> str:
        """``field`` in ``locale`` when translated, else the original. ``locale`` may be a
        Babel ``Locale`` or a code such as "es" or "es_MX"."""
        original = getattr(self, field)
        if field not in self.TRANSLATED_FIELDS or not locale:
            return original
        code = str(locale).replace("-", "_")
        texts = self.translations or {}
        for key in (code, code.split("_")[0]):
            value = (texts.get(key) or {}).get(field)
            if isinstance(value, str) and value.strip():
                return value
        return original

    def translate(self, given: dict[str, dict[str, str]] | None) -> None:
        """Apply ``given`` (``{locale: {field: text}}``): each locale given is replaced by its
        non-empty texts, and dropped when all are empty so the originals show. Checks
        everything before changing anything."""
        result = {k: dict(v) for k, v in (self.translations or {}).items()}
        for locale, texts in (given or {}).items():
            if locale not in TRANSLATION_LOCALES:
                raise TranslationRefused(f"Translations into “{locale}” are not offered.")
            kept = {}
            for name, text in (texts or {}).items():
                if name not in self.TRANSLATED_FIELDS:
                    raise TranslationRefused(f"“{name}” cannot be translated.")
                text = ((text or "") if name in self.MARKDOWN_FIELDS
                        else (text or "").strip())
                if len(text) > self.TRANSLATED_FIELDS[name]:
                    raise TranslationRefused(f"The translated {name} is at most "
                                             f"{self.TRANSLATED_FIELDS[name]:,} characters.")
                if text.strip():
                    kept[name] = text
            if kept:
                result[locale] = kept
            else:
                result.pop(locale, None)
        self.translations = result  # a new dict, so the JSON column is seen as changed

    def copy_translations(self, source: "Translated") -> None:
        """Take ``source``'s translations of the fields both items translate (a project's title
        and summary from its proposal's)."""
        shared = set(self.TRANSLATED_FIELDS) & set(source.TRANSLATED_FIELDS)
        self.translations = {
            locale: kept for locale, texts in (source.translations or {}).items()
            if (kept := {k: v for k, v in (texts or {}).items() if k in shared})}


class StatusHistory(Translated):
    """A status-history row: who moved an item, from which status to which, when and why.

    Mixed into each history table (proposals, projects); the reason is shown to the public,
    in the reader's language when staff gave it in theirs.
    """

    TRANSLATED_FIELDS = {"reason": 2000}

    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def actor(cls):
        return relationship("User")


def site_written(field: str, message: str, **values) -> tuple[str, dict[str, dict[str, str]]]:
    """A text the site itself writes into a record (``"Result of the count."``): the English
    original and its ``translations`` in every offered language, from the catalogue. A value
    may be a function of the locale (a cycle's name in that language)."""
    from flask_babel import force_locale, gettext

    def filled(locale):
        return {k: (v(locale) if callable(v) else v) for k, v in values.items()}

    english = message % filled("en") if values else message.replace("%%", "%")
    translations = {}
    for locale in TRANSLATION_LOCALES:
        with force_locale(locale):
            text = gettext(message, **filled(locale))
        if text != english:
            translations[locale] = {field: text}
    return english, translations
