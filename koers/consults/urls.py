from django.urls import path

from koers.consults import views

app_name = "consults"

consult = "personen/<int:person_id>/consulten/<int:consult_id>/"
item = consult + "agenda/<int:item_id>/"

urlpatterns = [
    # The person's portal.
    path("mijn/voorbereiden/", views.portal_prepare, name="portal_prepare"),
    path("mijn/voorbereiden/stap/", views.portal_prepare_step, name="portal_prepare_step"),
    path("mijn/voorbereiden/versturen/", views.portal_prepare_submit, name="portal_prepare_submit"),
    path("mijn/gesprekken/agenda/", views.portal_agenda, name="portal_agenda"),
    path("mijn/gesprekken/agenda/<int:item_id>/verwijderen/", views.portal_item_remove, name="portal_item_remove"),
    # The professional's pages about a person.
    path("personen/<int:person_id>/consulten/", views.consult_list, name="list"),
    path("personen/<int:person_id>/consulten/nieuw/", views.consult_create, name="create"),
    path(consult, views.consult_detail, name="detail"),
    path(consult + "wijzigen/", views.consult_edit, name="edit"),
    path(consult + "status/", views.consult_status, name="status"),
    path(consult + "samenvatting/", views.consult_summary, name="summary"),
    path(consult + "agenda/", views.item_add, name="item_add"),
    path(item, views.item_update, name="item_update"),
    path(item + "verplaatsen/", views.item_move, name="item_move"),
    path(item + "verwijderen/", views.item_remove, name="item_remove"),
    path(item + "meenemen/", views.item_carry, name="item_carry"),
]
