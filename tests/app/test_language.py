"""Pages come in the resident's language: chosen in the footer, or from the browser."""


def test_browser_language_picks_spanish(client):
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).data.decode()
    assert '<html lang="es">' in page and "Ciclos de presupuesto" in page


def test_default_is_english(client):
    page = client.get("/").data.decode()
    assert '<html lang="en">' in page and "Budget cycles" in page


def test_the_footer_choice_is_remembered(client, csrf):
    resp = client.post("/language", data={"csrf_token": csrf("/"), "lang": "es",
                                          "next": "/cycles/"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/cycles/")
    assert "Ciclos de presupuesto" in client.get("/").data.decode()
    client.post("/language", data={"csrf_token": csrf("/"), "lang": "en"})
    assert "Budget cycles" in client.get("/").data.decode()


def test_bad_choices_change_nothing(client, csrf):
    resp = client.post("/language", data={"csrf_token": csrf("/"), "lang": "xx",
                                          "next": "//evil.example"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/")
    assert "lang=" not in resp.headers.get("Set-Cookie", "")
    assert client.post("/language", data={"lang": "es"}).status_code == 400  # no CSRF token


def test_lang_parameter_for_printed_links(client):
    assert '<html lang="es">' in client.get("/?lang=es").data.decode()


def test_templates_speak_the_language_in_force(app):
    """Templates' ``_`` and ``ngettext`` are bound once per render (pbapp.i18n): a template
    rendered under ``force_locale`` in an English request (an email to a Spanish reader) is in
    Spanish, and a value put into a message is escaped while the message itself is not."""
    from flask import render_template_string
    from flask_babel import force_locale

    source = ('{{ _("Ballot tracker") }}|{{ ngettext("Rank up to %(num)d proposal, your '
              'favourite first.", "Rank up to %(num)d proposals, your favourite first.", 1) }}|'
              '{{ _("Sign out (%(name)s)", name="<b>") }}')
    with app.test_request_context("/"):
        english = render_template_string(source)
        with force_locale("es"):
            spanish = render_template_string(source)
        after = render_template_string(source)
    assert english == after == "Ballot tracker|Rank up to 1 proposal, your favourite first.|" \
                               "Sign out (&lt;b&gt;)"
    assert spanish.startswith("Seguimiento de papeletas|Ordena hasta 1 propuesta, tu favorita")
    assert "&lt;b&gt;" in spanish


def test_the_menu_kept_per_language(client):
    """The menu's links are made once per language (pbapp.chrome): each language keeps its own."""
    for _round in range(2):
        spanish = client.get("/?lang=es").data.decode()
        english = client.get("/").data.decode()
        assert "Seguimiento de papeletas" in spanish and "Ballot tracker" not in spanish
        assert "Ballot tracker" in english and "Seguimiento de papeletas" not in english


def test_the_kept_menu_never_grows_past_its_limit(app):
    """Weakness guarded: a memory that grows with whatever root address requests bring."""
    from pbapp import chrome

    for n in range(chrome.LIMIT + 5):
        with app.test_request_context("/", base_url=f"http://localhost/p{n}/"):
            assert f'href="/p{n}/cycles/"' in chrome.chrome("nav")
    assert len(app.extensions["pbapp_chrome"]) <= chrome.LIMIT
