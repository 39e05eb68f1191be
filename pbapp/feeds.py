"""Atom 1.0 feeds of project updates, so residents and partners can follow delivery in a feed
reader: every project's newest updates, or one project's.

Entries carry the board's name as author (never a person's email), a permanent ``tag:`` id, and
the update's Markdown rendered and sanitised exactly as the project page shows it.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, make_response, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .api.http import conditional
from .extensions import db
from .projects.models import Project, ProjectUpdate
from .text import render_markdown

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 50
#: the year in every tag: URI; fixed, so an entry's id never changes
TAG_DATE = "2026"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: characters XML 1.0 cannot carry, dropped from user text so the feed always parses
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


def _stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tag(specific: str) -> str:
    host = (urlsplit("//" + request.host).hostname or "localhost").lower()
    return f"tag:{host},{TAG_DATE}:{specific}"


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, name, attributes)
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def _entry(feed: ET.Element, update: ProjectUpdate, with_project: bool) -> None:
    project = update.project
    entry = _add(feed, "entry")
    _add(entry, "id", _tag(f"project-update:{update.id}"))
    _add(entry, "title", f"{project.title}: {update.title}" if with_project else update.title)
    _add(entry, "updated", _stamp(update.published_at))
    _add(entry, "published", _stamp(update.published_at))
    _add(_add(entry, "author"), "name", project.board.name)
    _add(entry, "link", rel="alternate", type="text/html",
         href=url_for("projects.show", project_id=project.id, _external=True))
    _add(entry, "content", str(render_markdown(update.body)), type="html")


def atom(title: str, feed_id: str, self_url: str, page_url: str,
         updates: list[ProjectUpdate], fallback_updated: datetime, with_project: bool):
    """The feed document as a cacheable response (strong ETag, 304 on If-None-Match)."""
    feed = ET.Element("feed", xmlns=ATOM)
    _add(feed, "id", feed_id)
    _add(feed, "title", title)
    _add(_add(feed, "author"), "name", current_app.config["SITE_NAME"])
    _add(feed, "updated", _stamp(updates[0].published_at if updates else fallback_updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url)
    for update in updates:
        _entry(feed, update, with_project)
    response = make_response(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return conditional(response)


def _newest(project_id: int | None = None) -> list[ProjectUpdate]:
    query = select(ProjectUpdate).options(
        selectinload(ProjectUpdate.project).selectinload(Project.board))
    if project_id is not None:
        query = query.where(ProjectUpdate.project_id == project_id)
    return list(db.session.scalars(query.order_by(ProjectUpdate.published_at.desc(),
                                                  ProjectUpdate.id.desc()).limit(LIMIT)))


@bp.get("/project-updates.atom")
def project_updates():
    site = current_app.config["SITE_NAME"]
    return atom(f"{site}: project updates", _tag("project-updates"),
                url_for(".project_updates", _external=True),
                url_for("projects.index", _external=True), _newest(), EPOCH, with_project=True)


@bp.get("/projects/<int:project_id>.atom")
def project_updates_of(project_id: int):
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    site = current_app.config["SITE_NAME"]
    return atom(f"{site}: {project.title}", _tag(f"project:{project.id}:updates"),
                url_for(".project_updates_of", project_id=project.id, _external=True),
                url_for("projects.show", project_id=project.id, _external=True),
                _newest(project.id), project.created_at, with_project=False)
