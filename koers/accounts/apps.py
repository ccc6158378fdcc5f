from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "koers.accounts"

    def ready(self):
        # Logins, logouts, failed logins, lockouts and admin actions become security events.
        from koers.accounts import signals

        signals.connect()
