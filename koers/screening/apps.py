from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    """Measurements a professional records or imports: the yearly somatic screening for people
    with severe mental illness, lab values, and the personal letter that explains them."""

    name = "koers.screening"
