from django.urls import path

from koers.notifications import views

app_name = "notifications"

urlpatterns = [
    path("mijn/berichten/", views.portal_inbox, name="portal_inbox"),
    path("mijn/berichten/<int:notification_id>/gelezen/", views.portal_mark_read, name="portal_mark_read"),
    path("mijn/berichten/alles-gelezen/", views.portal_mark_all_read, name="portal_mark_all_read"),
    path("mijn/berichten/instellingen/", views.portal_preferences, name="portal_preferences"),
    path("berichten/", views.workspace_inbox, name="workspace_inbox"),
    path("berichten/<int:notification_id>/gelezen/", views.workspace_mark_read, name="workspace_mark_read"),
    path("berichten/instellingen/", views.workspace_preferences, name="workspace_preferences"),
    # A relative's inbox (issue #13): messages addressed to them, e.g. a meeting they are invited to.
    path("naaste/berichten/", views.relative_inbox, name="relative_inbox"),
    path("naaste/berichten/<int:notification_id>/gelezen/", views.relative_mark_read, name="relative_mark_read"),
]
