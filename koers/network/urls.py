from django.urls import path

from koers.network import views, views_invite, views_network

app_name = "network"

urlpatterns = [
    # The professional's page about one person's care team
    path("personen/<int:person_id>/zorgteam/", views.care_team, name="care_team"),
    # The person's own page: who in their network may see what
    path("mijn/wie-mag-wat-zien/", views.portal_consent, name="portal_consent"),
    # The same table on a professional's page: decisions recorded together with the person
    path("personen/<int:person_id>/wie-mag-wat-zien/", views.consent, name="consent"),
    # The person's whole network: organisations, relatives, coordinator, first contact, invitations
    path("personen/<int:person_id>/netwerk/", views_network.network, name="network"),
    path("mijn/netwerk/", views_network.portal_network, name="portal_network"),
    # Accepting an invitation: the mailed link, or the code typed in
    path("netwerk/uitnodiging/", views_invite.invitation_code, name="invitation_code"),
    path("netwerk/uitnodiging/<str:token>/", views_invite.invitation_accept, name="invitation_accept"),
]
