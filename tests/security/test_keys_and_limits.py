"""Keys and limits (issue 14, items 8 and 9), each test naming the weakness it guards against."""
from __future__ import annotations

import stat
import threading

import pytest
from flask import Flask
from sqlalchemy import func, select

from pbapp import create_app
from pbapp.config import ProductionConfig, byte_count, host_list, truthy
from pbapp.security import InsecureConfiguration, instance_secret_key
from tests.conftest import config_for

PUBLISHED_KEY = "dev-only-not-secret"
MB = 1024 * 1024


@pytest.fixture()
def no_key_in_environment(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PBAPP_ENV", raising=False)


def _keyless(url: str, key_file) -> type:
    return type("Keyless", (config_for(url),), {"SECRET_KEY": None,
                                                "SECRET_KEY_FILE": str(key_file)})


def _cookie(app: Flask, key: str, user) -> str:
    """A session cookie for ``user`` signed with ``key``, as someone who knows the key makes it."""
    forger = Flask("forger")
    forger.secret_key = key
    serializer = app.session_interface.get_signing_serializer(forger)
    return serializer.dumps({"_user_id": user.get_id(), "_fresh": True})


def test_without_a_secret_key_the_app_makes_one_and_keeps_it(no_key_in_environment, tmp_path):
    """A published key: without SECRET_KEY the app signed with a key printed in the source."""
    key_file = tmp_path / "instance" / "secret_key"
    first = create_app(_keyless("sqlite://", key_file))
    key = first.config["SECRET_KEY"]
    assert key and key != PUBLISHED_KEY and len(key) >= 32
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # no other account on the host reads it
    again = create_app(_keyless("sqlite://", key_file))
    assert again.config["SECRET_KEY"] == key  # sessions and voter hashes survive a restart
    assert [p.name for p in key_file.parent.iterdir()] == ["secret_key"]  # no temporary left
    other = create_app(_keyless("sqlite://", tmp_path / "elsewhere" / "secret_key"))
    assert other.config["SECRET_KEY"] != key  # random per instance, not derived from anything


def test_a_secret_key_in_the_environment_or_the_config_wins(monkeypatch, tmp_path):
    monkeypatch.delenv("PBAPP_ENV", raising=False)
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    key_file = tmp_path / "secret_key"
    assert create_app(_keyless("sqlite://", key_file)).config["SECRET_KEY"] == "k" * 40
    assert create_app(config_for("sqlite://")).config["SECRET_KEY"] == "test-secret"
    assert not key_file.exists()


def test_processes_starting_at_once_agree_on_one_key(tmp_path):
    """Two workers that each made their own key would reject each other's sessions."""
    for attempt in range(5):
        path = tmp_path / str(attempt) / "secret_key"
        barrier = threading.Barrier(8)
        keys = []

        def start():
            barrier.wait()
            keys.append(instance_secret_key(path))

        threads = [threading.Thread(target=start) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(keys) == 8 and len(set(keys)) == 1
        assert path.read_text().strip() == keys[0]
        assert [p.name for p in path.parent.iterdir()] == ["secret_key"]


def test_an_empty_key_file_is_refused_not_used(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("\n")
    with pytest.raises(InsecureConfiguration, match="secret_key"):
        instance_secret_key(path)


def test_a_cookie_signed_with_the_published_key_opens_no_staff_page(
        app, make_user, no_key_in_environment, tmp_path):
    """Forged sessions: anyone could sign ``{"_user_id": staff}`` with dev-only-not-secret and
    read /staff/audit/."""
    from pbapp.extensions import db

    staff = make_user("staff")
    keyless = create_app(_keyless(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "key"))
    client = keyless.test_client()
    try:
        client.set_cookie("session", _cookie(keyless, PUBLISHED_KEY, staff))
        forged = client.get("/staff/audit/")
        assert forged.status_code in (302, 303)
        assert forged.headers["Location"].startswith("/auth/login")  # signed in as nobody
        client.set_cookie("session", _cookie(keyless, keyless.config["SECRET_KEY"], staff))
        assert client.get("/staff/audit/").status_code == 200  # the forgery itself was sound
    finally:
        with keyless.app_context():
            db.engine.dispose()


def test_production_still_refuses_to_start_without_a_key(no_key_in_environment, tmp_path):
    """A production fleet on several hosts must share one key given to it, not make its own."""
    key_file = tmp_path / "secret_key"
    settings = {k: getattr(ProductionConfig, k) for k in dir(ProductionConfig) if k.isupper()}
    settings.update(SECRET_KEY=None, SECRET_KEY_FILE=str(key_file), TESTING=False)
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app(type("ProdKeyless", (config_for("sqlite://"),), settings))
    assert not key_file.exists()


# Request size ---------------------------------------------------------------------------------

class Huge:
    """A request body of ``size`` bytes, made as it is read, counting what the app reads."""

    def __init__(self, size: int):
        self.size, self.position, self.read_bytes = size, 0, 0

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = offset if whence == 0 else self.size + offset
        return self.position

    def read(self, size: int = -1) -> bytes:
        size = 64 * 1024 if size is None or size < 0 else min(size, 64 * 1024)
        size = max(0, min(size, self.size - self.position))
        self.position += size
        self.read_bytes += size
        return b"a" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def _says_too_large(response) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 413, response.status_code
    assert "Upload too large" in page and "larger than this site accepts" in page
    assert "16 MB" in page and "flask roll import" in page
    assert "<main" in page  # the site's own page, not Werkzeug's bare one


def test_a_50_mb_post_is_refused_with_413_before_anything_reads_it(client):
    """No size limit: a 50 MB body was read into memory before CSRF refused it."""
    body = Huge(50 * MB)
    response = client.post("/auth/login", input_stream=body,
                           content_type="application/x-www-form-urlencoded")
    _says_too_large(response)  # 413, not the CSRF check's 400
    assert body.read_bytes == 0


def test_a_17_mb_roll_upload_gets_the_friendly_413_and_writes_nothing(client, make_user, login,
                                                                       make_cycle, csrf):
    import io

    from pbapp.extensions import db
    from pbapp.voting.models import VoterRollEntry

    login(make_user("staff"))
    cycle = make_cycle("big", phase="proposals")
    url = f"/cycles/manage/{cycle.slug}/roll"
    token = csrf(url)
    line = b"R%07d,Some Person,p@example.org,1980,Central\n"
    data = b"reference,name,email,birth_year,neighbourhood\n" + b"".join(
        line % n for n in range(17 * MB // len(line % 0) + 1))
    assert len(data) > 17 * MB
    response = client.post(url, data={"csrf_token": token,
                                      "file": (io.BytesIO(data), "roll.csv")},
                           content_type="multipart/form-data")
    _says_too_large(response)
    assert db.session.scalar(select(func.count()).select_from(VoterRollEntry)) == 0


def test_the_size_limit_is_a_setting(migrated):
    assert byte_count(None, 16 * MB) == 16 * MB and byte_count("2000", 16 * MB) == 2000
    small = create_app(type("Small", (config_for(migrated),), {"MAX_CONTENT_LENGTH": 2000}))
    refused = small.test_client().post("/auth/login", data={"email": "x" * 3000})
    assert refused.status_code == 413 and "2000" not in refused.get_data(as_text=True)


# Host -----------------------------------------------------------------------------------------

def _production(url: str, **overrides) -> Flask:
    settings = {k: getattr(ProductionConfig, k) for k in dir(ProductionConfig) if k.isupper()}
    settings.update({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "SECRET_KEY": "x" * 48,
                     "TRUST_FORWARDED_HOST": False, "TRUSTED_HOSTS": None}, **overrides)
    return create_app(type("Prod", (config_for(url),), settings))


PROXIED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9",
           "X-Forwarded-Host": "evil.example"}


def test_production_ignores_x_forwarded_host_unless_told_to_trust_it(migrated):
    """Host poisoning: a client's X-Forwarded-Host made the site redirect to https://evil.example/
    (and would put that host in any absolute link it builds)."""
    moved = _production(migrated).test_client().get("/cycles", headers=PROXIED)
    assert moved.status_code in (301, 308)
    assert "evil.example" not in moved.headers["Location"]
    assert moved.headers["Location"].startswith("https://localhost/cycles/")
    trusting = _production(migrated, TRUST_FORWARDED_HOST=True).test_client()
    assert "evil.example" in trusting.get("/cycles", headers=PROXIED).headers["Location"]
    assert truthy("1") and truthy(" Yes ") and not truthy("") and not truthy(None)


@pytest.mark.parametrize("trust_forwarded", [False, True])
def test_a_host_outside_trusted_hosts_gets_400_not_a_redirect(migrated, trust_forwarded):
    """With TRUSTED_HOSTS set, no request for another host is answered as if it were this site."""
    app = _production(migrated, TRUSTED_HOSTS=host_list(" pb.example.org, .city.example "),
                      TRUST_FORWARDED_HOST=trust_forwarded)
    client = app.test_client()
    ours = {**PROXIED, "X-Forwarded-Host": "pb.example.org"}
    good = client.get("/cycles", headers=ours, base_url="http://pb.example.org")
    assert good.status_code == 308 and good.headers["Location"].startswith(
        "https://pb.example.org/cycles/")
    assert client.get("/auth/login", headers=ours,
                      base_url="http://www.city.example").status_code == 200
    for path in ("/cycles", "/", "/auth/login"):
        if trust_forwarded:
            bad = client.get(path, headers=PROXIED, base_url="http://pb.example.org")
        else:
            bad = client.get(path, headers=PROXIED, base_url="http://evil.example")
        page = bad.get_data(as_text=True)
        assert bad.status_code == 400, (path, bad.status_code)
        assert "Location" not in bad.headers and "evil.example" not in page
        assert "does not answer to the address" in page
    posted = client.post("/auth/login", headers=PROXIED, base_url="http://evil.example",
                         data={"email": "a@example.org"})
    assert posted.status_code == 400
    assert host_list("") is None and host_list(None) is None
