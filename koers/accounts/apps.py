from django.apps import AppConfig

from koers.lib import choices_display


class AccountsConfig(AppConfig):
    name = "koers.accounts"

    def ready(self):
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in

        from koers.accounts import signals
        from koers.accounts.middleware import note_session_written, remember_second_factor

        # Logins, logouts, failed logins, lockouts and admin actions become security events.
        signals.connect()
        # Whether the user has a second factor is noted in the session at login (no query per page).
        user_logged_in.connect(remember_second_factor, dispatch_uid="koers_remember_second_factor")
        # Login writes the session: the next write is due a minute later (SessionRefreshMiddleware).
        user_logged_in.connect(note_session_written, dispatch_uid="koers_note_session_written")
        # get_FOO_display() with each field's labels kept per language (every app's models are
        # loaded by now): the same text, without translating a field's every label on each call.
        choices_display.install(m for m in apps.get_models() if m.__module__.startswith("koers."))
