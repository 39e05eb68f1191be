"""The bare "hello" peer for the results-page rate in ``load_vote.py``: no framework, no database.

gunicorn serves it with the same settings as the site (``hello_app:app``, same workers), so the
ratio of the two rates is the cost of the page itself, not of the server or the client.
``/flask`` answers from a bare Flask app (no extension, no template) instead, to show what the
framework alone costs next to the bare WSGI answer.
"""
from flask import Flask

BODY = b"hello\n"
HEADERS = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(BODY)))]

bare_flask = Flask(__name__)


@bare_flask.get("/flask")
def hello():
    return "hello\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


def app(environ, start_response):
    if environ.get("PATH_INFO") == "/flask":
        return bare_flask(environ, start_response)
    start_response("200 OK", HEADERS)
    return [BODY]
