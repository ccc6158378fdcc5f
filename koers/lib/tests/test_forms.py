"""The form helpers: a service's ValidationError on a form, and "form -> service -> error or redirect"."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from koers.lib.forms import NOT_SAVED, add_problems_beside, add_service_error, save_form, submit_form


class _Form(forms.Form):
    title = forms.CharField(required=False)
    answer_q1 = forms.CharField(required=False)


def _bound():
    form = _Form({"title": "x", "answer_q1": "y"})
    assert form.is_valid()
    return form


def test_errors_go_on_the_named_field_and_unknown_names_on_the_form():
    form = _bound()
    add_service_error(form, ValidationError({"title": ["Te lang."], "elsewhere": ["Niet hier."]}))
    assert form.errors["title"] == ["Te lang."]
    assert form.non_field_errors() == ["Niet hier."]


def test_a_plain_error_is_form_wide():
    form = _bound()
    add_service_error(form, ValidationError("Dat kan nog niet."))
    assert form.non_field_errors() == ["Dat kan nog niet."]


def test_service_keys_are_renamed_by_a_map_or_a_function():
    form = _bound()
    add_service_error(form, ValidationError({"name": ["Vul een titel in."]}), {"name": "title"})
    assert form.errors["title"] == ["Vul een titel in."]
    form = _bound()
    add_service_error(form, ValidationError({"q1": ["Kies een antwoord."]}), field_for=lambda key: f"answer_{key}")
    assert form.errors["answer_q1"] == ["Kies een antwoord."]


# --- submit_form: bound form -> service -> errors on the form, or message + redirect -------------


def _request(method: str, data=None):
    request = getattr(RequestFactory(), method.lower())("/x/", data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _submit(request, form, save):
    return submit_form(
        request,
        form,
        save=save,
        success_url=lambda result: f"/klaar/{result}/",
        success_message="Bewaard.",
        template="includes/form_fields.html",
        context={},
    )


def test_save_form_returns_the_service_result_or_not_saved():
    assert save_form(_Form({"title": "x"}), lambda data: data["title"]) == "x"
    assert save_form(_Form({"title": "x"}), lambda data: None) is None  # a service may return None
    form = _Form({"title": "x"})
    assert save_form(form, _refuse) is NOT_SAVED
    assert form.errors["title"] == ["Bestaat al."]


def _refuse(data):
    raise ValidationError({"title": ["Bestaat al."]})


def test_submit_form_shows_the_form_on_get_without_calling_the_service():
    calls = []
    response = _submit(_request("GET"), _Form(), calls.append)
    assert response.status_code == 200 and calls == []
    assert b'name="title"' in response.content


def test_submit_form_redirects_with_a_message_when_saved():
    request = _request("POST", {"title": "x"})
    response = _submit(request, _Form(request.POST), lambda data: 7)
    assert (response.status_code, response["Location"]) == (302, "/klaar/7/")
    assert [str(m) for m in get_messages(request)] == ["Bewaard."]


def test_submit_form_puts_a_refusal_on_the_form_and_shows_it_again():
    request = _request("POST", {"title": "x"})
    response = _submit(request, _Form(request.POST), _refuse)
    assert response.status_code == 200
    assert "Bestaat al." in response.content.decode()
    assert list(get_messages(request)) == []


class _Contact(forms.Form):
    email = forms.EmailField(required=False)
    channel = forms.CharField(required=False)
    phone = forms.CharField(required=True)


def test_problems_beside_go_on_fields_the_form_found_right_and_wait_for_what_they_need():
    form = _Contact({"email": "geen-adres", "channel": "email", "phone": ""})
    assert not form.is_valid()
    problems = {
        "phone": ["Vul een telefoonnummer in."],  # the form's own message stays the only one
        "channel": ["Voor een e-mail is een e-mailadres nodig."],  # needs the e-mail address: not yet
        "elsewhere": ["Geen veld."],  # no such field: said for the form as a whole
    }
    add_problems_beside(form, problems, needs={"channel": "email"})
    assert set(form.errors) == {"email", "phone", "__all__"} and len(form.errors["phone"]) == 1
    assert form.non_field_errors() == ["Geen veld."]
    right = _Contact({"email": "", "channel": "email", "phone": ""})
    assert not right.is_valid()
    add_problems_beside(right, problems, needs={"channel": "email"})
    assert right.errors["channel"] == ["Voor een e-mail is een e-mailadres nodig."]
