"""The voting journey and the results page come in Spanish when the browser asks for it.

Each page is checked for some of its Spanish text and for the absence of its English wording;
without an Accept-Language header the same pages stay English (the other voting tests).
"""
import re

import pytest

from pbapp.voting.codes import CODE_REFUSED

ES = {"Accept-Language": "es-MX,es;q=0.9"}


@pytest.fixture()
def open_cycle(make_cycle, make_proposal):
    cycle = make_cycle(slug="autumn", name="Autumn budget", phase="voting", max_ranks=3,
                       vote_by_code=True)
    props = [make_proposal(cycle, title, cost=cost) for title, cost in
             (("Street lights", 600), ("Youth centre", 3000), ("Community garden", 500))]
    return cycle, props


def ranks(*ids) -> dict[str, str]:
    return {f"rank_{n}": str(i) for n, i in enumerate(ids, start=1)}


def spanish_page(resp, status: int = 200) -> str:
    assert resp.status_code == status
    page = resp.get_data(as_text=True)
    assert '<html lang="es">' in page
    return page


def check(page: str, shows: list[str], hides: list[str]) -> None:
    for text in shows:
        assert text in page, f"missing Spanish text {text!r}"
    for text in hides:
        assert text not in page, f"English text left: {text!r}"


def test_ballot_review_refusal_receipt_and_tracker(client, csrf, make_user, login, open_cycle):
    cycle, (lights, youth, garden) = open_cycle
    login(make_user())
    check(spanish_page(client.get("/vote/autumn", headers=ES)),
          ["Papeleta: Autumn budget", "Ordena hasta 3 propuestas, tu favorita primero.",
           "Una papeleta es definitiva:", "Pulsa Añadir en cada propuesta",
           "Aún no has ordenado nada", "Ordenadas: 0 de 3", "Presupuesto usado: 0 de",
           "Costo <strong>3.000</strong>", "Revisar mi papeleta", "Añadir Youth centre"],
          ["Ballot:", "Rank up to", "A ballot is final", "Nothing ranked", "Ranked:",
           "Budget used", "Review my ballot", "Cost ", ">Add<"])
    token = csrf("/vote/autumn")
    added = client.post("/vote/autumn", headers=ES, data={
        "csrf_token": token, "op": f"add:{youth.id}", "rank_1": str(garden.id)},
            follow_redirects=True)
    check(spanish_page(added), ["Opción 1", "Opción 2", "Presupuesto usado: 3.500 de",
                                "Subir: Opción 2", "Quitar tu Opción 1"],
          ["1st choice", "2nd choice", "Move up"])

    twice = client.post("/vote/autumn/review", headers=ES,
                        data={"csrf_token": token, **ranks(lights.id, lights.id)},
                            follow_redirects=True)
    check(spanish_page(twice),
          ["Tu papeleta aún no está emitida.", "Cada propuesta se puede elegir una sola vez."],
          ["not cast yet", "no se registró", "ranked only once"])
    gap = client.post("/vote/autumn/review", headers=ES,
                      data={"csrf_token": token, "rank_1": str(lights.id), "rank_3": str(youth.id)},
                          follow_redirects=True)
    check(spanish_page(gap), ["La opción 2 está vacía, pero la opción 3 está llena."],
          ["Choice 2 is empty"])

    review = client.post("/vote/autumn/review", headers=ES,
                         data={"csrf_token": token, **ranks(youth.id, lights.id)},
                             follow_redirects=True)
    check(spanish_page(review),
          ["Revisa tu papeleta", "Tu opción 1 es <strong>Youth centre</strong> (costo 3.000).",
           "Tu opción 2 es <strong>Street lights</strong> (costo 600).",
           "Ordenaste 2 de hasta 3 propuestas.", "Emitir mi papeleta",
           "Volver y cambiar mis opciones"],
          ["Check your ballot", "Your 1st choice", "You ranked", "Cast my ballot", ">Change<"])

    cast = client.post("/vote/autumn/cast", headers=ES,
                       data={"csrf_token": token, **ranks(youth.id, lights.id)})
    assert cast.status_code == 303
    receipt = spanish_page(client.get("/vote/autumn/receipt", headers=ES))
    check(receipt, ["Gracias: tu papeleta fue emitida", "Tu código de comprobante:",
                    "solo se muestra una vez", "seguimiento de papeletas",
                    "a partir de tu cuenta", "Copiar el código", "Imprimir",
                    "Descargar como archivo de texto", "C%C3%B3digo%20de%20comprobante"],
          ["Thank you", "Your receipt code", "shown only once", "ballot tracker", "Copy the",
           ">Print<", "Download"])
    code = re.search(r'id="receipt-code">([A-Z0-9-]+)<', receipt).group(1)

    again = spanish_page(client.get("/vote/autumn", headers=ES))
    check(again, ["Ya votaste en este ciclo."], ["You have already voted"])

    found = spanish_page(client.get("/vote/tracker", headers=ES,
                                    query_string={"cycle": "autumn", "code": code}))
    check(found, ["Seguimiento de papeletas", "Registrada.",
                  "Hay una papeleta con este código de comprobante en la urna de Autumn budget.",
                  "Código de comprobante", "Ciclo de presupuesto", "Comprobar"],
          ["Ballot tracker", "Recorded.", "Receipt code", "Budget cycle", ">Check<"])
    missing = spanish_page(client.get("/vote/tracker", headers=ES,
                                      query_string={"cycle": "autumn", "code": "AAAA-BBBB"}))
    check(missing, ["No encontrada.", "Revisa el código y el ciclo."], ["Not found."])


def test_code_page_and_refused_code(client, csrf, open_cycle):
    page = spanish_page(client.get("/vote/autumn/code", headers=ES))
    check(page, ["Votar con un código: Autumn budget", "Código de votación",
                 "Por ejemplo, ABCD-EFGH-JKMN-PQRS.", "Continuar a la papeleta"],
          ["Vote with a code", "Voting code", "For example", "Continue to the ballot"])
    refused = client.post("/vote/autumn/code", headers=ES,
                          data={"csrf_token": csrf("/vote/autumn/code"),
                                "code": "ABCD-EFGH-JKMN-PQRS"})
    check(spanish_page(refused),
          ["Este código no se puede usar. Revísalo o pide ayuda al personal."], [CODE_REFUSED])
    english = client.post("/vote/autumn/code", data={"csrf_token": csrf("/vote/autumn/code"),
                                                      "code": "ABCD-EFGH-JKMN-PQRS"})
    assert CODE_REFUSED in english.get_data(as_text=True)


def test_not_eligible_page(client, make_cycle, make_user, login):
    make_cycle(slug="codes-only", name="Codes only", phase="voting", vote_by_account=False,
               vote_by_code=True)
    login(make_user())
    check(spanish_page(client.get("/vote/codes-only", headers=ES)),
          ["No puedes votar de esta forma en este ciclo.",
           "En este ciclo no se vota con una cuenta.",
           "Usa en su lugar el código de votación que recibiste.", "votar con tu código",
           "No se registró nada."],
          ["You cannot vote", "votes are not cast", "Nothing has been recorded"])


def test_results_page_of_the_demo(client, runner):
    out = runner.invoke(args=["demo", "--ballots", "100"])
    assert out.exit_code == 0, out.output
    page = spanish_page(client.get("/cycles/2026-spring/results", headers=ES))
    check(page,
          ["Resultados:", "Publicados el", "papeletas contadas con", "Participación",
           "En línea con una cuenta", "Con un código de votación", "En papel",
           "Todas las propuestas", "Puntuación de cada propuesta", "Financiadas:",
           "Presupuesto y gasto", "Haz tú mismo el recuento", "Todas las rondas",
           "CSV, una papeleta por fila"],
          ["Results:", "Published ", "ballots counted with", "Turnout", "Online with an account",
           "Every proposal", "Score of each proposal", "Budget and spending",
           "Recount it yourself", "Every round", "one ballot per row"])
    english = client.get("/cycles/2026-spring/results").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "Score of each proposal" in english and "Turnout" in english


def test_funding_reasons_are_translated(client, runner):
    runner.invoke(args=["demo", "--ballots", "100"])
    spanish = client.get("/cycles/2026-spring/results", headers={"Accept-Language": "es"})
    english = client.get("/cycles/2026-spring/results").data
    # the demo counts by equal shares: funded proposals give that reason, in each language
    assert "partes iguales" in spanish.data.decode() and b"equal shares" in english
