"""The Django admin never becomes a way around the access layer."""

from django.apps import apps
from django.contrib import admin

PERSON_DATA_APPS = {"people", "network", "consults", "decisions", "goals", "careplans", "audit"}


def test_no_person_data_model_is_registered_in_the_admin():
    registered = {model._meta.app_label for model in admin.site._registry}
    assert registered.isdisjoint(PERSON_DATA_APPS), registered & PERSON_DATA_APPS
    # And every model of those apps exists, so the check above is not vacuous.
    assert all(apps.get_app_config(label).get_models() for label in PERSON_DATA_APPS)
