"""The accessibility statement (issue 18): reachable from every page, in both languages, with a
way to report a problem."""


def test_every_page_links_to_the_statement(client):
    for path in ("/", "/proposals/", "/metrics/small-numbers"):
        assert b'<a href="/accessibility">Accessibility</a>' in client.get(path).data, path


def test_the_statement_names_the_standard_how_it_is_tested_and_how_to_report(client, app):
    page = client.get("/accessibility").get_data(as_text=True)
    assert "WCAG) 2.2 at level AA" in page
    assert "axe accessibility checker" in page
    assert "Report a problem" in page and "mailto:" not in page  # no address configured
    app.config["CONTACT_EMAIL"] = "access@example.org"
    page = client.get("/accessibility").get_data(as_text=True)
    assert '<a href="mailto:access@example.org">access@example.org</a>' in page
    es = client.get("/accessibility", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Declaración de accesibilidad" in es and "nivel AA" in es
