import pytest
from koers.access import guard
from koers.audit.models import AccessLogEntry
from tests.test_post_access import write_targets, accepted_methods, signed_in, post
from tests.support.testing import make_full_record

@pytest.mark.django_db
def test_probe(cast, monkeypatch):
    asked = []
    real_allowed, real_table = guard.allowed, guard.table_allows
    monkeypatch.setattr(guard, "allowed", lambda r, c, a, topics=None: asked.append((str(c), a)) or real_allowed(r, c, a, topics=topics))
    monkeypatch.setattr(guard, "table_allows", lambda r, c, a: asked.append((str(c), a)) or real_table(r, c, a))
    rec = make_full_record(cast.anna, professional=cast.noor)
    for scope, user in (("person", cast.noor), ("portal", cast.anna_user)):
        client, token = signed_in(user)
        for name, pattern, view, url in write_targets(rec):
            if view.koers_access["scope"] != scope or accepted_methods(view) != ["POST"]:
                continue
            asked.clear()
            r = post(client, token, url)
            print(scope, name, view.koers_access["category"], r.status_code, sorted(set(asked)))
