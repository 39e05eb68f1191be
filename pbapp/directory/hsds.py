"""The directory in the Open Referral Human Services Data Specification (HSDS 3.0), as one JSON
document of its tables: ``organizations``, ``services``, ``locations``, ``addresses``,
``service_at_locations``, ``phones``, ``schedules``, ``languages``, ``service_areas``,
``taxonomy_terms`` and ``attributes``.

Mapped fields (everything else in a file is ignored, and written as HSDS leaves it empty):
organization ``id``, ``name``; service ``id``, ``organization_id``, ``name``, ``description``,
``url`` (website), ``email``, ``eligibility_description``, ``status`` ("active"); location ``id``,
``name``, ``location_type`` ("physical"); address ``address_1``, ``city``, ``postal_code``,
``address_type`` ("physical"); phone ``number`` (the first of a service's); schedule
``description`` (the hours, in words); language ``code``, ``name``; service_area ``name`` (a
neighbourhood's name or slug); the category is an attribute linking the service to a
taxonomy term of the taxonomy ``pbapp-category`` whose ``code`` is one of ``CATEGORIES``.
Spanish texts and the keeping board are the site's own and are not exchanged. Ids of phones,
schedules, languages, areas and links are derived from the service's id, so exporting twice
gives the same file; a re-import finds services, organizations and locations by their ids and
updates them in place.
"""
from __future__ import annotations

import json
import uuid

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..labels import N_
from . import checks
from .checks import CheckFailed
from .models import CATEGORIES, Service

HSDS_VERSION = "3.0"
TAXONOMY = "pbapp-category"
TABLES = ("organizations", "services", "locations", "addresses", "service_at_locations",
          "phones", "schedules", "languages", "service_areas", "taxonomy_terms", "attributes")
#: the largest file read, and the most services in one
MAX_BYTES = 5 * 1024 * 1024
MAX_SERVICES = 5000
MAX_ROWS = 50_000


class DirectoryImportInvalid(ValueError):
    """The file is refused whole; ``problems`` are (record, message, values) in catalogue words."""

    def __init__(self, problems: list[tuple[str, str, dict]]):
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems

    def lines(self, gettext) -> list[str]:
        """Each problem in words; a value that is itself (message, values) is translated too."""
        out = []
        for where, message, values in self.problems:
            values = {k: gettext(v[0], **v[1]) if isinstance(v, tuple) else v
                      for k, v in values.items()}
            words = gettext(message, **values)
            out.append(f"{where}: {words}" if where else words)
        return out


def _sub_id(service: Service, kind: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"pbapp:{service.hsds_id}:{kind}"))


def export_document() -> dict:
    """Every entry as HSDS tables (ordered by id, so the same directory gives the same file)."""
    services = list(db.session.scalars(select(Service).order_by(Service.hsds_id).options(
        selectinload(Service.neighbourhoods))))
    doc: dict = {"hsds_version": HSDS_VERSION, **{t: [] for t in TABLES}}
    orgs: dict[str, dict] = {}
    terms: dict[str, dict] = {}
    for s in services:
        orgs.setdefault(s.organization_hsds_id, {
            "id": s.organization_hsds_id, "name": s.organization or s.name, "description": ""})
        doc["services"].append({
            "id": s.hsds_id, "organization_id": s.organization_hsds_id, "name": s.name,
            "description": s.description, "url": s.website or None, "email": s.email or None,
            "status": "active", "eligibility_description": s.eligibility or None})
        if s.address or s.city or s.postal_code:
            doc["locations"].append({"id": s.location_hsds_id, "location_type": "physical",
                                     "organization_id": s.organization_hsds_id,
                                     "name": s.organization or s.name})
            doc["addresses"].append({
                "id": _sub_id(s, "address"), "location_id": s.location_hsds_id,
                "address_1": s.address, "city": s.city, "postal_code": s.postal_code,
                "state_province": "", "country": "", "address_type": "physical"})
            doc["service_at_locations"].append({
                "id": _sub_id(s, "at"), "service_id": s.hsds_id,
                "location_id": s.location_hsds_id})
        if s.phone:
            doc["phones"].append({"id": _sub_id(s, "phone"), "service_id": s.hsds_id,
                                  "number": s.phone, "type": "voice"})
        if s.hours:
            doc["schedules"].append({"id": _sub_id(s, "hours"), "service_id": s.hsds_id,
                                     "description": s.hours})
        for code in s.language_codes:
            doc["languages"].append({"id": _sub_id(s, f"language:{code}"),
                                     "service_id": s.hsds_id, "code": code,
                                     "name": _english_name(code)})
        for hood in s.neighbourhoods:
            doc["service_areas"].append({"id": _sub_id(s, f"area:{hood.slug}"),
                                         "service_id": s.hsds_id, "name": hood.name})
        term = terms.setdefault(s.category, {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"pbapp:category:{s.category}")),
            "code": s.category, "name": s.category.replace("_", " "), "taxonomy": TAXONOMY})
        doc["attributes"].append({"id": _sub_id(s, "category"), "link_id": s.hsds_id,
                                  "link_type": "service", "link_entity": "service",
                                  "taxonomy_term_id": term["id"]})
    doc["organizations"] = sorted(orgs.values(), key=lambda o: o["id"])
    doc["taxonomy_terms"] = sorted(terms.values(), key=lambda t: t["id"])
    return doc


def _english_name(code: str) -> str:
    from .services import language_name

    return language_name(code, "en")


class _Reader:
    """Reads one document, collecting every problem before anything is stored."""

    def __init__(self):
        self.problems: list[tuple[str, str, dict]] = []

    def fail(self, where: str, message: str, **values) -> None:
        if len(self.problems) < 200:
            self.problems.append((where, message, values))

    def field(self, where: str, row: dict, name: str, check, *args, **kw):
        try:
            return check(row.get(name), *args, **kw)
        except CheckFailed as error:
            self.fail(where, N_("%(field)s %(problem)s"), field=name,
                      problem=(error.message, error.values))
            return ""

    def rows(self, doc: dict, table: str) -> list[tuple[str, dict]]:
        value = doc.get(table, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(table, N_("must be a list of records"))
            return []
        if len(value) > MAX_ROWS:
            self.fail(table, N_("has more than %(num)d records"), num=MAX_ROWS)
            return []
        out, seen = [], set()
        for i, row in enumerate(value):
            where = f"{table}[{i}]"
            if not isinstance(row, dict):
                self.fail(where, N_("is not a record (an object with an id)"))
                continue
            try:
                rid = checks.text(row.get("id"), 64)
            except CheckFailed as error:
                self.fail(where, N_("id %(problem)s"), problem=(error.message, error.values))
                continue
            if not rid:
                self.fail(where, N_("has no id"))
                continue
            if rid in seen:
                self.fail(f"{where} ({rid})", N_("repeats an id used earlier in the list"))
                continue
            seen.add(rid)
            out.append((f"{where} ({rid})", row))
        return out


def _load(data: bytes | str) -> dict:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise DirectoryImportInvalid([("", N_("The file is larger than %(num)d MB."),
                                       {"num": MAX_BYTES // (1024 * 1024)})])
    if b"\x00" in data:
        raise DirectoryImportInvalid([("", N_("The file holds a NUL byte."), {})])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DirectoryImportInvalid([("", N_("The file is not UTF-8 text."), {})]) from None

    def no_constant(name):
        raise ValueError(name)

    try:
        doc = json.loads(text, parse_constant=no_constant)
    except (ValueError, RecursionError):
        raise DirectoryImportInvalid([("", N_("The file is not JSON."), {})]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("services"), list):
        raise DirectoryImportInvalid([("", N_("The file is not an HSDS document: it needs a "
                                              "list of “services”."), {})])
    return doc


def read_document(data: bytes | str, neighbourhoods: dict[str, int]) -> list[dict]:
    """Each service of the file as the fields ``update_from`` sets; ``neighbourhoods`` maps a
    casefolded name or slug to its id. Raises ``DirectoryImportInvalid`` naming each record at
    fault; anything else would be a bug."""
    doc = _load(data)
    r = _Reader()
    tables = {t: r.rows(doc, t) for t in TABLES}
    if len(tables["services"]) > MAX_SERVICES:
        raise DirectoryImportInvalid([("services", N_("has more than %(num)d records"),
                                       {"num": MAX_SERVICES})])
    orgs = {row["id"].strip(): (where, row) for where, row in tables["organizations"]}
    services = {row["id"].strip(): (where, row) for where, row in tables["services"]}
    locations = {row["id"].strip(): (where, row) for where, row in tables["locations"]}
    terms = {row["id"].strip(): row for _w, row in tables["taxonomy_terms"]}

    def of_service(table, key="service_id", known=services):
        by: dict[str, list] = {}
        for where, row in tables[table]:
            ref = row.get(key)
            if ref is None and key == "service_id":
                continue  # a phone or schedule of an organization or location: not mapped
            if not isinstance(ref, str) or ref.strip() not in known:
                r.fail(where, N_("refers to %(key)s “%(ref)s”, which the file does not have"),
                       key=key, ref=str(ref)[:64])
                continue
            by.setdefault(ref.strip(), []).append((where, row))
        return by

    phones, schedules = of_service("phones"), of_service("schedules")
    langs, areas = of_service("languages"), of_service("service_areas")
    at_locations = of_service("service_at_locations")
    for where, row in tables["service_at_locations"]:
        ref = row.get("location_id")
        if not isinstance(ref, str) or ref.strip() not in locations:
            r.fail(where, N_("refers to %(key)s “%(ref)s”, which the file does not have"),
                   key="location_id", ref=str(ref)[:64])
    addresses = of_service("addresses", "location_id", locations)
    categories: dict[str, str] = {}
    for where, row in tables["attributes"]:
        term = terms.get(str(row.get("taxonomy_term_id") or "").strip())
        if term is None and isinstance(row.get("taxonomy_term"), dict):
            term = row["taxonomy_term"]
        if term is None or term.get("taxonomy") != TAXONOMY:
            continue  # another taxonomy: not mapped
        link = row.get("link_id")
        if not isinstance(link, str) or link.strip() not in services:
            r.fail(where, N_("refers to %(key)s “%(ref)s”, which the file does not have"),
                   key="link_id", ref=str(link)[:64])
        elif term.get("code") not in CATEGORIES:
            r.fail(where, N_("category “%(code)s” is not one of: %(codes)s"),
                   code=str(term.get("code"))[:40], codes=", ".join(CATEGORIES))
        else:
            categories[link.strip()] = term["code"]

    out = []
    for sid, (where, row) in services.items():
        item = {"hsds_id": sid}
        item["name"] = r.field(where, row, "name", checks.text, 200)
        if not item["name"] and not any(w == where for w, _m, _v in r.problems):
            r.fail(where, N_("has no name"))
        item["description"] = r.field(where, row, "description", checks.text, 4000,
                                      multiline=True)
        item["website"] = r.field(where, row, "url", checks.website)
        item["email"] = r.field(where, row, "email", checks.email)
        item["eligibility"] = r.field(where, row, "eligibility_description", checks.text, 1000,
                                      multiline=True)
        org_id = row.get("organization_id")
        if not isinstance(org_id, str) or org_id.strip() not in orgs:
            r.fail(where, N_("refers to %(key)s “%(ref)s”, which the file does not have"),
                   key="organization_id", ref=str(org_id)[:64])
        else:
            ow, org = orgs[org_id.strip()]
            item["organization_hsds_id"] = org_id.strip()
            item["organization"] = r.field(ow, org, "name", checks.text, 200)
        item["category"] = categories.get(sid, "other")
        numbers = phones.get(sid, [])
        item["phone"] = r.field(*numbers[0], "number", checks.phone) if numbers else ""
        hours = [r.field(w, row_, "description", checks.text, 500)
                 for w, row_ in schedules.get(sid, [])]
        item["hours"] = "; ".join(h for h in hours if h)
        if len(item["hours"]) > 500:
            r.fail(where, N_("its schedules' descriptions are longer than %(num)d characters"),
                   num=500)
        codes = []
        for w, lrow in langs.get(sid, []):
            code = r.field(w, lrow, "code", checks.language)
            if code:
                codes.append(code)
        item["languages"] = list(dict.fromkeys(codes))
        if len(",".join(item["languages"])) > 190:
            r.fail(where, N_("lists too many languages"))
        hoods = []
        for w, arow in areas.get(sid, []):
            name = r.field(w, arow, "name", checks.text, 200)
            if name and name.casefold() not in neighbourhoods:
                r.fail(w, N_("no neighbourhood is called “%(name)s”"), name=name[:80])
            elif name:
                hoods.append(neighbourhoods[name.casefold()])
        item["neighbourhoods"] = sorted(set(hoods))
        item["address"] = item["city"] = item["postal_code"] = ""
        places = at_locations.get(sid, [])
        if places:
            lid = str(places[0][1].get("location_id") or "").strip()
            if lid in locations:
                item["location_hsds_id"] = lid
                found = addresses.get(lid, [])
                if found:
                    aw, arow = found[0]
                    item["address"] = r.field(aw, arow, "address_1", checks.text, 200)
                    item["city"] = r.field(aw, arow, "city", checks.text, 100)
                    item["postal_code"] = r.field(aw, arow, "postal_code", checks.text, 20)
        out.append(item)
    if r.problems:
        raise DirectoryImportInvalid(r.problems)
    return out


def neighbourhood_names() -> dict[str, int]:
    names = {}
    for hood in db.session.scalars(select(Neighbourhood)):
        names[hood.name.strip().casefold()] = hood.id
        names[hood.slug.casefold()] = hood.id
    return names


def import_document(data: bytes | str, actor, board_id: int | None = None) -> tuple[int, int]:
    """Store the file's services (new ones kept by ``board_id``), updating those already here
    by their HSDS id; all or nothing. Returns (added, updated)."""
    from .services import _apply

    items = read_document(data, neighbourhood_names())
    known = {s.hsds_id: s for s in db.session.scalars(select(Service).where(
        Service.hsds_id.in_([i["hsds_id"] for i in items])))} if items else {}
    added = updated = 0
    for item in items:
        service = known.get(item["hsds_id"])
        if service is None:
            service = Service(hsds_id=item["hsds_id"], name=item["name"], board_id=board_id)
            db.session.add(service)
            added += 1
        for key in ("organization_hsds_id", "location_hsds_id"):
            if key in item and getattr(service, key) != item[key]:
                setattr(service, key, item[key])
        if _apply(service, item, actor) and service in known.values():
            updated += 1
    db.session.flush()
    record(actor, "directory.import", "directory", added=added, updated=updated,
           services=len(items))
    return added, updated
