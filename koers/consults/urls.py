from django.urls import path

from koers.consults import agenda_views, views

app_name = "consults"

consult = "personen/<int:person_id>/consulten/<int:consult_id>/"
item = consult + "agenda/<int:item_id>/"

urlpatterns = [
    # The person's portal.
    path("mijn/voorbereiden/", views.portal_prepare, name="portal_prepare"),
    path("mijn/voorbereiden/stap/", views.portal_prepare_step, name="portal_prepare_step"),
    path("mijn/voorbereiden/versturen/", views.portal_prepare_submit, name="portal_prepare_submit"),
    path("mijn/gesprekken/agenda/", agenda_views.portal_agenda, name="portal_agenda"),
    path(
        "mijn/gesprekken/agenda/<int:item_id>/verwijderen/",
        agenda_views.portal_item_remove,
        name="portal_item_remove",
    ),
    path(
        "mijn/gesprekken/agenda/<int:item_id>/terugzetten/",
        agenda_views.portal_item_restore,
        name="portal_item_restore",
    ),
    # The professional's pages about a person.
    path("personen/<int:person_id>/consulten/", views.consult_list, name="list"),
    path("personen/<int:person_id>/consulten/nieuw/", views.consult_create, name="create"),
    path(consult, views.consult_detail, name="detail"),
    path(consult + "wijzigen/", views.consult_edit, name="edit"),
    path(consult + "status/", views.consult_status, name="status"),
    path(consult + "samenvatting/", views.consult_summary, name="summary"),
    path(consult + "agenda/", agenda_views.item_add, name="item_add"),
    path(consult + "agenda/opslaan/", agenda_views.agenda_save, name="agenda_save"),
    path(item, agenda_views.item_update, name="item_update"),
    path(item + "verplaatsen/", agenda_views.item_move, name="item_move"),
    path(item + "verwijderen/", agenda_views.item_remove, name="item_remove"),
    path(item + "terugzetten/", agenda_views.item_restore, name="item_restore"),
    path(item + "meenemen/", agenda_views.item_carry, name="item_carry"),
]
