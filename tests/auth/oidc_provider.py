"""A small OpenID Connect provider served on a loopback port inside the test process.

It speaks just enough of the protocol for pbapp's sign-in: discovery, its key set, an authorize
step (straight back with a code, or a page with a button for the browser journey), and a token
endpoint that returns an RS256-signed ID token (joserfc, which Authlib itself uses). Tests turn
its knobs to send a wrong nonce, audience or issuer, an expired or tampered token, or a person
with another ``sub`` or email address; ``reset()`` puts them back.
"""
from __future__ import annotations

import base64
import hashlib
import html
import secrets
import threading
import time
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "pbapp-test-client"
CLIENT_SECRET = "a test secret, not a real one"
_KEY = None


def _key() -> RSAKey:
    """One key per test process: generating RSA keys takes a moment."""
    global _KEY
    if _KEY is None:
        _KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key"}, private=True)
    return _KEY


class Provider:
    """The provider and its knobs; ``url`` is its issuer."""

    def __init__(self) -> None:
        self.key = _key()
        self.app = self._make_app()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                       name="test-oidc-provider")
        self.reset()

    def reset(self) -> None:
        #: who signs in at the provider next
        self.person = {"sub": "staff-0001", "email": "sam.staff@example.org",
                       "email_verified": True, "name": "Sam Staff"}
        #: claims to change in the next ID tokens (None removes one)
        self.claims = {}
        self.tamper = False
        self.interactive = False  # True: the authorize step shows a page with a button
        self.token_endpoint = f"{self.url}/token"
        self.codes: dict[str, dict] = {}

    def settings(self) -> dict:
        """The app settings that point pbapp at this provider."""
        return {"OIDC_ISSUER": self.url, "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_PROVIDER_NAME": "Test City ID"}

    def start(self) -> "Provider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()

    def id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                  "nonce": nonce, **self.person}
        for name, value in self.claims.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
        if self.tamper:
            head, body, signature = token.split(".")
            flipped = "A" if signature[10] != "A" else "B"
            token = ".".join([head, body, signature[:10] + flipped + signature[11:]])
        return token

    def _make_app(self) -> Flask:
        app = Flask("test_oidc_provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(issuer=self.url, authorization_endpoint=f"{self.url}/authorize",
                           token_endpoint=self.token_endpoint, jwks_uri=f"{self.url}/jwks",
                           response_types_supported=["code"], subject_types_supported=["public"],
                           id_token_signing_alg_values_supported=["RS256"],
                           code_challenge_methods_supported=["S256"])

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize():
            values = request.values
            if values.get("client_id") != CLIENT_ID or not values.get("redirect_uri"):
                abort(400)
            if self.interactive and request.method == "GET":
                return self._consent_page(values)
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": values.get("nonce"),
                                "redirect_uri": values["redirect_uri"],
                                "challenge": values.get("code_challenge")}
            query = urlencode({"code": code, "state": values.get("state", "")})
            return redirect(f"{values['redirect_uri']}?{query}")

        @app.post("/token")
        def token():
            auth = request.authorization
            if not auth or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
                return jsonify(error="invalid_client"), 401
            grant = self.codes.pop(request.form.get("code", ""), None)
            if grant is None or grant["redirect_uri"] != request.form.get("redirect_uri"):
                return jsonify(error="invalid_grant"), 400
            verifier = request.form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if grant["challenge"] != challenge.decode():
                return jsonify(error="invalid_grant", error_description="PKCE"), 400
            return jsonify(access_token=secrets.token_urlsafe(16), token_type="Bearer",
                           expires_in=300, id_token=self.id_token(grant["nonce"]))

        return app

    def _consent_page(self, values) -> str:
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in values.items())
        name = html.escape(self.person.get("name", ""))
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width"><title>Test City ID</title>'
                f'</head><body><main><h1>Test City ID</h1><form method="post" action="/authorize">'
                f'{hidden}<button type="submit">Continue as {name}</button></form></main>'
                f'</body></html>')
