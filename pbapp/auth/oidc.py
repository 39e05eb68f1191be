"""Talking to the city's OpenID Connect provider (Authlib): the way out, and checking the way back.

Off unless ``OIDC_ISSUER`` (or ``OIDC_DISCOVERY_URL``), ``OIDC_CLIENT_ID`` and
``OIDC_CLIENT_SECRET`` are set. The provider only proves who someone is: the ID token's
signature (keys from its JWKS), issuer, audience, expiry and nonce are all checked, and the
state ties the answer to the browser that asked. Which account that is, and what it may do, is
decided here (``pbapp.auth.oidc_accounts``).
"""
from __future__ import annotations

from dataclasses import dataclass

from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from requests import RequestException

NAME = "oidc"
EXTENSION = "pbapp.oidc"
#: asymmetric algorithms only: "none" and HMAC (keyed with the shared secret) are never accepted
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
#: seconds to wait for the provider, and of clock difference allowed on expiry
TIMEOUT = 10
LEEWAY = 60


class ProviderUnreachable(Exception):
    """The provider did not answer (down, or answered an error page)."""


class StateMismatch(Exception):
    """The answer does not belong to a sign-in this browser started (forged, replayed, old)."""


class TokenRejected(Exception):
    """The provider answered, but its ID token failed a check."""


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str | None
    email_verified: bool


def enabled() -> bool:
    config = current_app.config
    return bool((config.get("OIDC_ISSUER") or config.get("OIDC_DISCOVERY_URL"))
                and config.get("OIDC_CLIENT_ID") and config.get("OIDC_CLIENT_SECRET"))


def provider_name() -> str:
    return current_app.config.get("OIDC_PROVIDER_NAME") or "City ID"


def _discovery_url() -> str:
    config = current_app.config
    return (config.get("OIDC_DISCOVERY_URL")
            or config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration")


def client():
    """The app's client, made on first use so settings are read then and an app without OIDC
    pays nothing. Discovery is fetched on first use too (and again after a failure)."""
    app = current_app._get_current_object()
    found = app.extensions.get(EXTENSION)
    if found is None:
        oauth = OAuth(app)
        found = oauth.register(
            NAME, overwrite=True, client_id=app.config["OIDC_CLIENT_ID"],
            client_secret=app.config["OIDC_CLIENT_SECRET"],
            server_metadata_url=_discovery_url(),
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                           "default_timeout": TIMEOUT})
        app.extensions[EXTENSION] = found
    return found


def _metadata(remote) -> dict:
    """The discovery document, checked: its issuer must be the configured one, and only the
    asymmetric algorithms above are ever offered to the token check."""
    try:
        metadata = remote.load_server_metadata()
    except (RequestException, ValueError) as error:
        raise ProviderUnreachable(str(error)) from error
    expected = current_app.config.get("OIDC_ISSUER")
    if expected and metadata.get("issuer") != expected:
        raise TokenRejected(f"discovery names issuer {metadata.get('issuer')!r}")
    if not metadata.get("issuer") or not metadata.get("authorization_endpoint"):
        raise ProviderUnreachable("discovery document without issuer or endpoints")
    offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    metadata["id_token_signing_alg_values_supported"] = [
        alg for alg in offered if alg in ALGORITHMS] or ["RS256"]
    return metadata


def authorize_redirect(redirect_uri: str):
    """The redirect to the provider's sign-in page; state, nonce and PKCE verifier are kept in
    this browser's (signed) session until it comes back."""
    remote = client()
    _metadata(remote)
    try:
        return remote.authorize_redirect(redirect_uri)
    except (RequestException, ValueError) as error:
        raise ProviderUnreachable(str(error)) from error


def _claims_options(issuer: str) -> dict:
    """Made afresh for each check (Authlib changes the dict it is given)."""
    return {"iss": {"essential": True, "values": [issuer]},
            "aud": {"essential": True, "values": [current_app.config["OIDC_CLIENT_ID"]]},
            "sub": {"essential": True}}


def identity_from_callback() -> Identity:
    """Swap the callback's code for tokens and check the ID token; raises one of the errors
    above, never anything else, whatever the query string or the provider sent."""
    remote = client()
    metadata = _metadata(remote)
    try:
        token = remote.authorize_access_token(claims_options=_claims_options(metadata["issuer"]),
                                              leeway=LEEWAY)
    except MismatchingStateError as error:
        raise StateMismatch(str(error)) from error
    except RequestException as error:
        raise ProviderUnreachable(str(error)) from error
    except OAuthError as error:  # the token endpoint refused the code
        raise TokenRejected(f"{error.error}: {error.description}") from error
    except Exception as error:  # noqa: BLE001 - a bad signature, claim or token body, any kind
        raise TokenRejected(f"{type(error).__name__}: {error}") from error
    claims = token.get("userinfo") if isinstance(token, dict) else None
    if not claims:
        raise TokenRejected("no ID token in the token response")
    subject, issuer = claims.get("sub"), claims.get("iss")
    if not (isinstance(subject, str) and 0 < len(subject) <= 255 and isinstance(issuer, str)
            and len(issuer) <= 255):
        raise TokenRejected("subject or issuer missing or too long")
    email = claims.get("email")
    return Identity(issuer=issuer, subject=subject,
                    email=email if isinstance(email, str) else None,
                    email_verified=claims.get("email_verified") is True)
