"""``koers api-token``: good, refused (unknown user, bad scope, person account), and its log rows."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koers.audit import security
from koers.smart import services
from koers.smart.grants import grant_from_bearer

pytestmark = pytest.mark.django_db


class Bearer:
    def __init__(self, token):
        self.headers = {"Authorization": f"Bearer {token}"}


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("api-token", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_token_for_a_professional(cast):
    code, out, err = run("--user", "noor", "--scope", "user/*.read", "--minutes", "5")
    assert code == 0 and err == ""
    grant = grant_from_bearer(Bearer(out.strip()))
    assert grant.user == cast.noor and grant.scopes == {"user/*.read"}
    row = security.security_events().get(detail__startswith="token_issued")
    assert row.object_id == str(cast.noor.pk) and "koers-cli, 5 min: user/*.read" in row.detail
    assert out.strip() not in row.detail


def test_a_patient_token_needs_a_person_the_user_may_read(cast):
    code, out, _err = run("--user", "noor", "--scope", "launch/patient patient/*.read", "--patient", str(cast.anna.pk))
    assert code == 0 and grant_from_bearer(Bearer(out.strip())).patient_id == cast.anna.pk
    code, out, err = run("--user", "cor", "--scope", "patient/*.read", "--patient", str(cast.anna.pk))
    assert code == 2 and out == "" and "mag de gegevens niet zien" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--user", "nobody", "--scope", "user/*.read"), "geen account"),
        (("--user", "noor", "--scope", "user/*.delete"), "user/*.delete"),
        (("--user", "noor", "--scope", "system/*.read"), "system/*.read"),
        (("--user", "noor", "--scope", "user/*.read", "--minutes", "600"), "minuten"),
        (("--user", "anna", "--scope", "user/*.read"), "Alleen medewerkers"),
        (("--user", "rob", "--scope", "user/*.read"), "Alleen medewerkers"),
        (("--user", "noor", "--scope", "patient/*.read"), "--patient"),
    ],
)
def test_refused_with_a_message_an_exit_code_and_a_log_row(cast, args, message):
    code, out, err = run(*args)
    assert code == 2 and out == "" and message in err
    assert security.security_events().filter(detail__startswith="token_refused", outcome="refused").count() == 1
    assert not security.security_events().filter(detail__startswith="token_issued").exists()


def test_an_inactive_user_is_refused(cast):
    cast.noor.is_active = False
    cast.noor.save()
    code, _out, err = run("--user", "noor", "--scope", "user/*.read")
    assert code == 2 and "niet actief" in err


def test_revoke(cast):
    _code, out, _err = run("--user", "noor", "--scope", "user/*.read")
    code, said, _err = run("--revoke", out.strip())
    assert code == 0 and said.strip() == "OK"
    assert grant_from_bearer(Bearer(out.strip())) is None
    with pytest.raises(CommandError):
        call_command("api-token", "--revoke", out.strip())


def test_a_token_never_starts_with_a_dash_so_revoke_takes_it(cast, monkeypatch):
    """One urlsafe token in 64 starts with "-": ``--revoke -x…`` would read it as an option."""
    drawn = iter(["-dashfirst" + "a" * 33, "plain" + "b" * 38])
    real = services.secrets.token_urlsafe
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: next(drawn) if n == 32 else real(n))
    _code, out, _err = run("--user", "noor", "--scope", "user/*.read")
    assert out.strip() == "plain" + "b" * 38
    code, said, _err = run("--revoke", out.strip())
    assert code == 0 and said.strip() == "OK"
