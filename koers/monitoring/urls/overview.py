"""URLs of the overview (``urlpatterns``) and of one item over time (``one_item``, included last
by ``koers.monitoring.urls`` so that no fixed word is ever taken for a code)."""

from django.urls import path

from koers.monitoring.urls.prefixes import PORTAL, PRO
from koers.monitoring.views import overview

urlpatterns = [
    path(PORTAL, overview.portal_overview, name="portal_overview"),
    path(PRO, overview.overview, name="overview"),
]

one_item = [
    path(PORTAL + "<slug:code>/", overview.portal_detail, name="portal_detail"),
    path(PRO + "<slug:code>/", overview.detail, name="detail"),
]
