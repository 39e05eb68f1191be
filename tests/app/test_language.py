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
