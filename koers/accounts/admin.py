"""Administration of organisations, teams and accounts.

Deliberately no person data here: the admin cannot apply the access layer per person, so
persons, profiles, plans and the access log are not registered (tests/test_admin_scope.py
fails if one is). Administrators manage accounts, not care records.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Organisation, Team, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "agb_code"]
    list_filter = ["kind"]
    search_fields = ["name", "city", "agb_code"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(User)
class KoersUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "discipline", "organisation", "is_active"]
    list_filter = ["role", "discipline", "organisation", "is_active"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Koers"), {"fields": ("role", "discipline", "organisation", "team", "preferred_language")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Koers"), {"fields": ("role", "discipline", "organisation", "team")}),
    )
