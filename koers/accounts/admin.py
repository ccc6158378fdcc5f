"""Administration of organisations, teams and staff accounts.

Deliberately no person data here: the admin cannot apply the access layer per person, so
persons, profiles, plans and the access log are not registered (tests/test_admin_scope.py
fails if one is). Administrators manage accounts, not care records, and only staff accounts
(issue #11, "no back doors"):

- person and relative accounts are not listed, searched, shown or editable: the user admin's
  queryset holds staff roles only, and their pages answer 404 as for a missing account; the
  same holds for their authenticator devices and their login records (django-axes);
- an administrator cannot create a person or relative account (the role field offers staff
  roles only) and so never sets such a password; persons reset their own password;
- a password an administrator sets (new account or "change password") must be changed by its
  user at the next login (``User.must_change_password``); instead of setting one, the action
  "send password reset" mails the user a link they complete themselves;
- second-factor keys are never shown (``OTP_ADMIN_HIDE_SENSITIVE_DATA``).

Every admin action is a security event in the access log (``koers.accounts.signals``).
"""

import functools

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.models import STAFF_ROLES, Organisation, Team, User
from koers.accounts.password_reset import send_reset_mail
from koers.audit.security import ADMIN_ACTION, PASSWORD_RESET_REQUESTED, security_event
from koers.lib.forms import ModelIdsField

STAFF_ROLE_CHOICES = [(value, label) for value, label in User.Role.choices if value in STAFF_ROLES]


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


class CheckedIdsMixin:
    """Checkbox lists of rows (groups, permissions) refuse an id no row can have as an invalid
    choice, not a server error (``koers.lib.forms.ModelIdsField``)."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelIdsField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class StaffOnlyMixin:
    """Pages of an object outside the staff-only queryset answer 404, as for a missing one
    (Django's default would redirect with a message that names the id)."""

    def _staff_object_or_404(self, request, object_id):
        if object_id is not None and self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._staff_object_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._staff_object_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._staff_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)


@admin.register(User)
class KoersUserAdmin(CheckedIdsMixin, StaffOnlyMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "discipline", "organisation", "is_active"]
    list_filter = ["role", "discipline", "organisation", "is_active"]
    readonly_fields = ["must_change_password"]
    actions = ["send_password_reset"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            _("Koers"),
            {"fields": ("role", "discipline", "organisation", "team", "preferred_language", "must_change_password")},
        ),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Koers"), {"fields": ("role", "discipline", "organisation", "team")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(role__in=STAFF_ROLES)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = STAFF_ROLE_CHOICES
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and obj.has_usable_password() and obj.pk != request.user.pk:
            obj.must_change_password = True  # the administrator chose it: the user chooses their own
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        before = user.password
        response = super().user_change_password(request, id, form_url)
        after = User.objects.values_list("password", flat=True).get(pk=user.pk)
        if after != before and user.pk != request.user.pk:
            # Someone else chose this password: its user replaces it at the next login.
            User.objects.filter(pk=user.pk).update(must_change_password=True)
        return response

    @admin.action(description=_("Stuur een link om een nieuw wachtwoord te kiezen"))
    def send_password_reset(self, request, queryset):
        sent = 0
        for user in queryset:
            if not user.email or not user.has_usable_password():
                continue
            send_reset_mail(request, user)
            security_event(PASSWORD_RESET_REQUESTED, actor=request.user, subject=user, note="by administrator")
            security_event(ADMIN_ACTION, actor=request.user, subject=user, note="send password reset")
            sent += 1
        skipped = queryset.count() - sent
        message = ngettext("%(count)d link verstuurd.", "%(count)d links verstuurd.", sent) % {"count": sent}
        if skipped:
            message += " " + ngettext(
                "%(count)d account zonder e-mailadres of wachtwoord overgeslagen.",
                "%(count)d accounts zonder e-mailadres of wachtwoord overgeslagen.",
                skipped,
            ) % {"count": skipped}
        self.message_user(request, message, messages.SUCCESS if not skipped else messages.WARNING)


class StaffDevicesOnly(StaffOnlyMixin):
    """Authenticator devices of staff accounts only: a person's device would name their account."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user__role__in=STAFF_ROLES)


def _logged_delete_selected(modeladmin, request, queryset):
    """Django's "delete selected" action, plus one security event per deleted object when it
    deleted several: Django then writes its log entries in bulk, without the ``post_save`` signal
    ``koers.accounts.signals`` listens to (one object goes through that signal)."""
    targets = [(obj.pk, obj._meta.label) for obj in queryset]
    response = delete_selected(modeladmin, request, queryset)
    if response is None and len(targets) > 1:
        for pk, label in targets:
            security_event(ADMIN_ACTION, actor=request.user, note=f"admin deleted {label} #{pk}")
    return response


admin.site.add_action(functools.wraps(delete_selected)(_logged_delete_selected), "delete_selected")


class NoPersonLogins(StaffOnlyMixin):
    """django-axes' login records without those of person and relative accounts: when and from
    where a person logs in is theirs, not the administrator's."""

    def get_queryset(self, request):
        others = User.objects.exclude(role__in=STAFF_ROLES).values("username")
        return super().get_queryset(request).exclude(username__in=others)


def _restrict(model, base, mixin) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"Koers{base.__name__}", (mixin, base), {}))


_restrict(Group, GroupAdmin, CheckedIdsMixin)
_restrict(TOTPDevice, TOTPDeviceAdmin, StaffDevicesOnly)
_restrict(StaticDevice, StaticDeviceAdmin, StaffDevicesOnly)
if settings.AXES_ENABLE_ADMIN:
    _restrict(AccessAttempt, AccessAttemptAdmin, NoPersonLogins)
    _restrict(AccessLog, AccessLogAdmin, NoPersonLogins)
    _restrict(AccessFailureLog, AccessFailureLogAdmin, NoPersonLogins)
