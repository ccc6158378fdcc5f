"""The OAuth2 endpoints at /o/ (django-oauth-toolkit's views, with Koers's rules) and the SMART
configuration at /fhir/.well-known/smart-configuration (issue #15; docs/smart.md).

The authorize page is a Koers page: behind login and the second factor (the accounts middleware
covers it like every page), in plain Dutch (English by the catalogue), no script. It names the
app, says in words what it may read or write and for how long, and — when the app asks for a
patient — lets the user choose one: a person their own person, anyone else one of the persons
``koers.access`` lets them read. Allow and deny are two buttons of one ordinary form.

The token, revocation and introspection endpoints are DOT's own (an app calls them, not a
browser); a refused token request is a security event, like an issued or revoked token
(koers.smart.validators) and a denied authorization.
"""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import urlsplit

from django.http import JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from oauth2_provider import views as dot_views
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings

from koers import access
from koers.access.decorators import no_person_data
from koers.accounts.models import User
from koers.audit import security
from koers.smart import assertions
from koers.smart import scopes as smart_scopes
from koers.smart.forms import SmartAllowForm
from koers.smart.validators import PATIENT_ATTR

_CATEGORY = access.Category.DEMOGRAPHICS  # choosing a person shows their name and birth date


@method_decorator(never_cache, name="dispatch")
class AuthorizeView(dot_views.AuthorizationView):
    template_name = "smart/authorize.html"
    form_class = SmartAllowForm

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        sources = _redirect_sources(request.POST.get("client_id") or request.GET.get("client_id"))
        if sources:
            # The page's form posts here, and the answer redirects to the app: the browser checks
            # that redirect against this page's form-action, so the app's registered addresses
            # (and only they) are added to it.
            response._csp_update = {"form-action": sources}
        return response

    def get(self, request, *args, **kwargs):
        # DOT lets the app ask to skip the page (approval_prompt=auto) when the user already has a
        # token for it; in Koers the user always sees what the app asks, and chooses the patient.
        if "approval_prompt" in request.GET:
            request.GET = request.GET.copy()
            del request.GET["approval_prompt"]
        return super().get(request, *args, **kwargs)

    def _scopes(self) -> list[str]:
        data = self.request.POST if self.request.method == "POST" else None
        if data is not None:
            return data.get("scope", "").split()
        return list(self.oauth2_data.get("scopes", []))

    def _needs_choice(self) -> bool:
        return smart_scopes.needs_patient(self._scopes()) and self.request.user.role != User.Role.PERSON

    def _patients(self):
        if not self._needs_choice():
            return []
        persons = list(
            access.visible_persons(self.request.user, category=_CATEGORY).order_by("family_name", "given_name")
        )
        access.record_list(self.request.user, persons, object_type="smart_launch")
        return persons

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"patients": self._patients()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scopes = self._scopes()
        context["scope_lines"] = [line for scope in scopes for line in smart_scopes.describe(scope)]
        context["minutes"] = oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS // 60
        context["offline"] = smart_scopes.OFFLINE_ACCESS in scopes
        context["days"] = (oauth2_settings.REFRESH_TOKEN_EXPIRE_SECONDS or 0) // 86400
        context["needs_patient"] = smart_scopes.needs_patient(scopes)
        context["choose_patient"] = self._needs_choice()
        return context

    def form_valid(self, form):
        if not form.cleaned_data.get("allow"):
            security.security_event(
                security.AUTHORIZE_DENIED, actor=self.request.user, note=f"client {form.cleaned_data['client_id']}"
            )
            return super().form_valid(form)
        scopes = form.cleaned_data["scope"].split()
        self.koers_patient_id = None
        if smart_scopes.needs_patient(scopes):
            person = self._chosen_person(form)
            if person is None:
                return self.form_invalid(form)
            self.koers_patient_id = person.pk
        return super().form_valid(form)

    def _chosen_person(self, form):
        user = self.request.user
        try:
            if user.role == User.Role.PERSON:
                return access.own_person(user, category=_CATEGORY, object_type="smart_launch")
            chosen = form.cleaned_data.get("patient")
            if chosen is None:
                form.add_error("patient", _("Kies de persoon over wie de app gegevens mag zien."))
                return None
            return access.person_for(user, chosen, category=_CATEGORY, object_type="smart_launch")
        except access.NotFound:
            form.add_error("patient" if user.role != User.Role.PERSON else None, _("Deze persoon kunt u niet kiezen."))
            return None

    def create_authorization_response(self, request, scopes, credentials, allow):
        patient_id = getattr(self, "koers_patient_id", None)
        if allow and patient_id is not None:
            credentials = credentials | {PATIENT_ATTR: patient_id}
        return super().create_authorization_response(request, scopes, credentials, allow)


def _redirect_sources(client_id: str | None) -> list[str]:
    """CSP sources for the registered redirect URIs of the app ``client_id`` (none if unknown)."""
    if not client_id:
        return []
    application = get_application_model().objects.filter(client_id=client_id[:100]).first()
    sources = []
    for uri in application.redirect_uris.split() if application is not None else ():
        parts = urlsplit(uri)
        source = f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:"
        if parts.scheme and source not in sources:
            sources.append(source)
    return sources


def _client_id(request) -> str:
    """The client an app says it is (in the body, in HTTP Basic or as the ``sub`` of its client
    assertion), for the log; never its secret or its assertion."""
    client_id = request.POST.get("client_id", "")
    if not client_id and request.POST.get("client_assertion"):
        client_id = assertions.client_id_hint(request.POST["client_assertion"])
    header = request.headers.get("Authorization", "")
    if not client_id and header.lower().startswith("basic "):
        try:
            client_id = base64.b64decode(header[6:]).decode("utf-8").split(":", 1)[0]
        except (ValueError, binascii.Error, UnicodeDecodeError):
            client_id = "?"
    return client_id[:100]


class TokenView(dot_views.TokenView):
    def post(self, request, *args, **kwargs):
        # For a client assertion (private_key_jwt): the token endpoint's URL, as the
        # smart-configuration names it, is the one accepted ``aud``; the validator leaves the
        # reason of a refusal here (koers.smart.assertions).
        context = assertions.Context(token_url=request.build_absolute_uri(reverse("oauth2_provider:token")))
        request.META[assertions.CONTEXT_KEY] = context
        response = super().post(request, *args, **kwargs)
        if response.status_code >= 400:
            try:
                error = json.loads(response.content).get("error", "")
            except ValueError:
                error = ""
            reason = f" ({context.refusal})" if context.refusal else ""
            security.security_event(
                security.TOKEN_REFUSED,
                actor=None,
                outcome="refused",
                note=f"{request.POST.get('grant_type', '')[:40]}, client {_client_id(request)}: {error[:40]}{reason}",
            )
        return response


def _smart_endpoints(request) -> dict:
    def url(name):
        return request.build_absolute_uri(reverse(f"oauth2_provider:{name}"))

    return {
        "authorization_endpoint": url("authorize"),
        "token_endpoint": url("token"),
        "revocation_endpoint": url("revoke-token"),
        "introspection_endpoint": url("introspect"),
    }


@require_GET
def smart_configuration(request):
    """SMART App Launch 1.0/2.0 discovery: where the endpoints are and what Koers supports."""
    body = _smart_endpoints(request) | {
        "issuer": oauth2_settings.oauth2_authorization_server_issuer(request),
        "authorization_response_iss_parameter_supported": True,
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": list(assertions.ALGORITHMS),
        "scopes_supported": smart_scopes.supported(),
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "capabilities": [
            "launch-standalone",
            "client-public",
            "client-confidential-symmetric",
            "context-standalone-patient",
            "permission-patient",
            "permission-user",
            "permission-offline",
            "permission-v1",
            "permission-v2",
        ],
    }
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    response["Access-Control-Allow-Origin"] = "*"  # public discovery document, no credentials
    return response


smart_configuration = no_person_data(smart_configuration)
authorize = no_person_data(AuthorizeView.as_view())
token = no_person_data(TokenView.as_view())
revoke_token = no_person_data(dot_views.RevokeTokenView.as_view())
introspect = no_person_data(dot_views.IntrospectTokenView.as_view())
