"""Who may keep which entries, keeping them (audited), and finding them."""
from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from sqlalchemy import Select, select

from ..audit.services import record
from ..boards.models import Board, Membership
from ..cycles.models import Neighbourhood
from ..extensions import db
from .models import CATEGORIES, Service, service_neighbourhood

#: the longest search text accepted
MAX_QUERY = 200
#: the most entries one page lists
PAGE_SIZE = 100


def keeper_boards(user) -> list[Board]:
    """The boards whose entries ``user`` may add and change: every board for staff, else the
    boards the user sits on now (chair or member)."""
    if not getattr(user, "is_authenticated", False):
        return []
    query = select(Board).order_by(Board.name)
    if not user.is_staff:
        query = query.join(Membership).where(Membership.user_id == user.id,
                                             Membership.current_on())
    return list(db.session.scalars(query))


def may_keep(user, service: Service | None = None) -> bool:
    """Staff keep every entry; a sitting board member those of their board (and adds new ones)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    boards = {b.id for b in keeper_boards(user)}
    return bool(boards) if service is None else service.board_id in boards


FIELDS = ("name", "organization", "description", "category", "eligibility", "address", "city",
          "postal_code", "hours", "phone", "email", "website")


def _apply(service: Service, data: dict, actor) -> list[str]:
    """Set the entry's fields from ``data`` (already validated); returns the names changed."""
    changed = []
    for name in FIELDS:
        if name in data and getattr(service, name) != data[name]:
            setattr(service, name, data[name])
            changed.append(name)
    if "board_id" in data and service.board_id != data["board_id"]:
        service.board_id = data["board_id"]
        changed.append("board")
    if "languages" in data and service.language_codes != list(data["languages"]):
        service.set_languages(data["languages"])
        changed.append("languages")
    if "neighbourhoods" in data:
        hoods = list(db.session.scalars(select(Neighbourhood).where(
            Neighbourhood.id.in_(data["neighbourhoods"]))))
        if {h.id for h in service.neighbourhoods} != {h.id for h in hoods}:
            service.neighbourhoods = hoods
            changed.append("neighbourhoods")
    if "projects" in data:
        from ..projects.models import Project

        projects = list(db.session.scalars(select(Project).where(
            Project.id.in_(data["projects"]))))
        if {p.id for p in service.projects} != {p.id for p in projects}:
            service.projects = projects
            changed.append("projects")
    if "translations" in data:
        before = service.translations
        service.translate(data["translations"])
        if service.translations != before:
            changed.append("translations")
    service.refresh_search_text()
    return changed


def add_service(data: dict, actor) -> Service:
    service = Service(name=data["name"])
    db.session.add(service)
    _apply(service, data, actor)
    db.session.flush()
    record(actor, "service.create", f"service:{service.id}", name=service.name,
           board=service.board.slug if service.board else None)
    return service


def update_service(service: Service, data: dict, actor) -> list[str]:
    changed = _apply(service, data, actor)
    if changed:
        db.session.flush()
        record(actor, "service.update", f"service:{service.id}", changed=changed)
    return changed


def remove_service(service: Service, actor) -> None:
    record(actor, "service.delete", f"service:{service.id}", name=service.name,
           hsds_id=service.hsds_id)
    db.session.delete(service)
    db.session.flush()


@dataclass
class Search:
    """A checked search: ``problems`` says, in words, which parameters were refused."""
    q: str = ""
    neighbourhood: str = ""
    language: str = ""
    category: str = ""
    problems: tuple[str, ...] = ()


def parse_search(args, gettext) -> Search:
    """Read the GET parameters; a value the filters do not offer is named, never a 500."""
    def one(name):
        values = args.getlist(name)
        return (values[0] if values else "").strip()

    q, hood, lang, cat = one("q"), one("neighbourhood"), one("language"), one("category")
    problems = []
    if len(q) > MAX_QUERY:
        problems.append(gettext("The search is at most %(num)d characters.", num=MAX_QUERY))
        q = ""
    if hood and hood not in neighbourhood_choices():
        problems.append(gettext("There is no neighbourhood “%(value)s”.", value=hood[:80]))
        hood = ""
    if lang and lang not in dict(language_choices(None)):
        problems.append(gettext("No service lists the language “%(value)s”.", value=lang[:80]))
        lang = ""
    if cat and cat not in CATEGORIES:
        problems.append(gettext("There is no category “%(value)s”.", value=cat[:80]))
        cat = ""
    return Search(q, hood, lang, cat, tuple(problems))


def neighbourhood_choices() -> dict[str, str]:
    return dict(db.session.execute(select(Neighbourhood.slug, Neighbourhood.name)
                                   .order_by(Neighbourhood.name)).all())


def language_name(code: str, locale) -> str:
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(locale or "en") or code
    except (ValueError, UnknownLocaleError, TypeError):
        return code


def language_choices(locale) -> list[tuple[str, str]]:
    """(code, name) of every language some entry lists."""
    codes = set()
    for stored in db.session.scalars(select(Service.languages).distinct()):
        codes.update(c for c in (stored or "").split(",") if c)
    return sorted(((c, language_name(c, locale)) for c in codes), key=lambda p: p[1].casefold())


def search_query(search: Search) -> Select:
    query = select(Service).order_by(Service.name, Service.id)
    if search.q:
        for word in search.q.casefold().split()[:10]:
            query = query.where(Service.search_text.contains(word, autoescape=True))
    if search.neighbourhood:
        query = query.where(Service.id.in_(
            select(service_neighbourhood.c.service_id)
            .join(Neighbourhood, Neighbourhood.id == service_neighbourhood.c.neighbourhood_id)
            .where(Neighbourhood.slug == search.neighbourhood)))
    if search.language:
        query = query.where(Service.languages.contains(f",{search.language},",
                                                       autoescape=True))
    if search.category:
        query = query.where(Service.category == search.category)
    return query


def find(search: Search) -> list[Service]:
    return list(db.session.scalars(search_query(search).limit(PAGE_SIZE)))
