from django.urls import path

from koers.crisisplans import report_views, views

app_name = "crisisplans"


def _phase_paths(prefix: str, view, name: str) -> list:
    """One page per phase, the phase as a fixed argument (not a URL keyword: the URL walks
    fill keywords with records)."""
    return [
        path(f"{prefix}{slug}/", view, {"phase": code}, name=f"{name}_{slug.replace('-', '_')}")
        for code, slug in views.PHASE_SLUGS.items()
    ]


urlpatterns = [
    # Professional workspace: the crisis plan of one person.
    path("personen/<int:person_id>/crisisplan/", views.plan, name="plan"),
    *_phase_paths("personen/<int:person_id>/crisisplan/fase/", views.phase_edit, "phase"),
    *_phase_paths("personen/<int:person_id>/crisisplan/metingen/", views.links_edit, "links"),
    # "Fase vastleggen": a professional records the phase the person is in (asked first).
    *_phase_paths("personen/<int:person_id>/crisisplan/fase-vastleggen/", report_views.phase_record, "record"),
    path("personen/<int:person_id>/crisisplan/afspraken/", views.agreements_edit, name="agreements"),
    path("personen/<int:person_id>/crisisplan/pdf/", views.plan_pdf, name="pdf"),
    path("personen/<int:person_id>/crisisplan/vastleggen/", views.plan_file, name="file"),
    path("personen/<int:person_id>/crisisplan/kaart/", views.card_pdf, name="card"),
    # Portal: the person's own crisis plan.
    path("mijn/crisisplan/", views.portal_plan, name="portal_plan"),
    *_phase_paths("mijn/crisisplan/fase/", views.portal_phase_edit, "portal_phase"),
    *_phase_paths("mijn/crisisplan/metingen/", views.portal_links_edit, "portal_links"),
    path("mijn/crisisplan/afspraken/", views.portal_agreements_edit, name="portal_agreements"),
    path("mijn/crisisplan/pdf/", views.portal_pdf, name="portal_pdf"),
    path("mijn/crisisplan/kaart/", views.portal_card, name="portal_card"),
]

urlpatterns += [
    # A relative reports the signs they see; the person says which phase they are in.
    path("naaste/<int:person_id>/crisisplan/signalen/", report_views.relative_report, name="relative_report"),
    path("mijn/crisisplan/fase-nu/", report_views.portal_phase_now, name="portal_phase_now"),
]
