from django.urls import path

from koers.followup import views

app_name = "followup"

urlpatterns = [
    path(
        "personen/<int:person_id>/zorgplan/vervolg/<int:follow_up_id>/ritme/",
        views.follow_up_rhythm,
        name="follow_up_rhythm",
    ),
]
