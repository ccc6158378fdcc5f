from django.urls import path

from koers.access.decorators import no_person_data
from koers.accounts import issuing, oidc, passkeys, password_reset, second_factor, session_time, views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", no_person_data(views.KoersLoginView.as_view()), name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("sessie/", session_time.session_status, name="session_status"),
    path("sessie/verlengen/", session_time.session_extend, name="session_extend"),
    path("wachtwoord/", views.password_change, name="password_change"),
    path("wachtwoord-vergeten/", password_reset.password_reset, name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", password_reset.password_reset_done, name="password_reset_done"),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        password_reset.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("tweestaps/toegangssleutel/", passkeys.passkey_verify, name="passkey_verify"),
    path("tweestaps/toegangssleutel/instellen/", passkeys.passkey_setup, name="passkey_setup"),
    path("inloggen/identiteit/mislukt/", oidc.oidc_failed, name="oidc_failed"),
    path("tweestaps/", second_factor.two_factor, name="two_factor"),
    path("tweestaps/instellen/", second_factor.two_factor_setup, name="two_factor_setup"),
    path("tweestaps/code/", second_factor.two_factor_code, name="two_factor_code"),
    path("activeren/", issuing.activate, name="activate"),
    path("activeren/<str:token>/", issuing.activate, name="activate_link"),
    path("collegas/", issuing.colleagues, name="colleagues"),
    path("collegas/<int:account_id>/code/", issuing.colleague_code, name="colleague_code"),
]
