"""The OAuth2 server django-oauth-toolkit runs (``OAUTH2_PROVIDER["OAUTH2_SERVER_CLASS"]``).

oauthlib's ``Server`` with two SMART rules it cannot be told through settings:

- PKCE only with ``S256`` (SMART App Launch 2.0): ``plain`` — and a request without a method,
  which oauthlib reads as ``plain`` — is refused as an unsupported method;
- a refresh token only when the app asked for ``offline_access`` (and was granted it).
"""

from __future__ import annotations

from oauthlib.oauth2 import BearerToken, Server
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256

from koers.smart.scopes import OFFLINE_ACCESS


class OfflineOnlyBearerToken(BearerToken):
    def create_token(self, request, refresh_token=False, **kwargs):
        offline = OFFLINE_ACCESS in (request.scopes or ())
        return super().create_token(request, refresh_token=refresh_token and offline, **kwargs)


class SmartServer(Server):
    def __init__(
        self, request_validator, token_expires_in=None, token_generator=None, refresh_token_generator=None, **kwargs
    ):
        super().__init__(request_validator, token_expires_in, token_generator, refresh_token_generator, **kwargs)
        bearer = OfflineOnlyBearerToken(request_validator, token_generator, token_expires_in, refresh_token_generator)
        self.bearer = bearer
        self._default_token_type = bearer
        # An instance attribute: the class's table stays as oauthlib made it.
        self.auth_grant._code_challenge_methods = {"S256": code_challenge_method_s256}
