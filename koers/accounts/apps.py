from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "koers.accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from koers.accounts.middleware import remember_second_factor

        user_logged_in.connect(remember_second_factor, dispatch_uid="koers_remember_second_factor")
