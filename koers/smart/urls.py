"""django-oauth-toolkit's four endpoints at /o/, each marked for the access layer (issue #15).

The namespace is DOT's own (``oauth2_provider``): DOT reverses its names itself. Only the
endpoints SMART needs: no device flow, no application or token management pages (apps and
system clients are registered in the admin; docs/smart.md).
"""

from django.urls import path

from koers.smart import views

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", views.authorize, name="authorize"),
    path("token/", views.token, name="token"),
    path("revoke_token/", views.revoke_token, name="revoke-token"),
    path("introspect/", views.introspect, name="introspect"),
]
