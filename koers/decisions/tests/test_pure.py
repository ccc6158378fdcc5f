"""Pure parts of decisions, without the database: where a decision is in the three talks,
and which decision-aid addresses get in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from koers.decisions.models import SharedDecision
from koers.decisions.selectors import talk_steps
from koers.decisions.services import clean_decision_aid_url

Status = SharedDecision.Status


@pytest.mark.parametrize(
    ("status", "participation", "chosen", "expected"),
    [
        (Status.CHOICE_TALK, "", None, ["current", "todo", "todo"]),
        (Status.OPTION_TALK, "together", None, ["done", "current", "todo"]),
        (Status.THINKING, "self", None, ["done", "current", "todo"]),
        (Status.DECIDED, "together", 1, ["done", "done", "done"]),
        (Status.WITHDRAWN, "", None, ["skipped", "skipped", "skipped"]),
        (Status.WITHDRAWN, "together", None, ["done", "skipped", "skipped"]),
        (Status.WITHDRAWN, "together", 1, ["done", "done", "done"]),
    ],
)
def test_where_we_are_in_the_three_talks(status, participation, chosen, expected):
    decision = SharedDecision(status=status, participation=participation, chosen_option_id=chosen)
    steps = talk_steps(decision)
    assert [s["state"] for s in steps] == expected
    assert [s["number"] for s in steps] == [1, 2, 3]
    assert sum(s["state"] == "current" for s in steps) <= 1


def test_the_portal_words_the_talks_for_the_person():
    decision = SharedDecision(status=Status.OPTION_TALK)
    assert "Wilt u" in str(talk_steps(decision, portal=True)[0]["explanation"])
    assert "cliënt" in str(talk_steps(decision)[0]["explanation"])


@pytest.mark.parametrize(
    "url", ["https://www.thuisarts.nl/slapen", "http://keuzehulp.nl", "https://example.org/a?b=c#d"]
)
def test_http_and_https_addresses_get_in(url):
    assert clean_decision_aid_url(f"  {url} ") == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "//evil.example",
        "mailto:a@b.nl",
        "",
    ],
)
def test_other_addresses_do_not(url):
    with pytest.raises(ValidationError):
        clean_decision_aid_url(url)


def test_every_accepted_address_is_http_or_https():
    import hypothesis
    from hypothesis import strategies

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(strategies.text(max_size=60))
    def check(text):
        try:
            cleaned = clean_decision_aid_url(text)
        except ValidationError:
            return
        assert cleaned.lower().startswith(("http://", "https://"))

    check()
