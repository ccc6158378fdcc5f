from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "koers.accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from koers.accounts import signals
        from koers.accounts.middleware import note_session_written, remember_second_factor

        # Logins, logouts, failed logins, lockouts and admin actions become security events.
        signals.connect()
        # Whether the user has a second factor is noted in the session at login (no query per page).
        user_logged_in.connect(remember_second_factor, dispatch_uid="koers_remember_second_factor")
        # Login writes the session: the next write is due a minute later (SessionRefreshMiddleware).
        user_logged_in.connect(note_session_written, dispatch_uid="koers_note_session_written")
