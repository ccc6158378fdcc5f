"""A relative's own page about a person, and their answer to the yearly evaluation (issue #13).

"Relatives in the triad": besides what the person shares (``relative_views``), a relative has
questions and needs of their own. Per person who shares something with them:

- ``person_page`` (``/naaste/<person_id>/``): what the person shares, in plain words, with a
  link where a page exists; the crisis plan's link while it is shared; whom to contact (the
  coordinator's name and organisation); their own question or concern to the coordinator
  ("Een vraag of zorg van uzelf", ``followup.relatives.relative_note_send``: a message in Koers
  and an item on the coordinator's worklist) with the notes they sent; where to find support
  for themselves (naastenondersteuner, familievertrouwenspersoon).
- ``evaluation`` (``/naaste/<person_id>/jaarevaluatie/``): the person's invitation to give input
  for the yearly evaluation, and the short form (``relative_evaluation_answer``).

Both go through ``relative_view``: only a relative, only while the person shares at least one
topic with them (read fresh on every request); anyone else gets the missing-record 404 with a
refused row. The relative reads only their own notes and answers; nothing here reads the
person's data beyond the shared topics' names and the coordinator's name.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from koers import access
from koers.access.decorators import relative_view
from koers.followup import relative_selectors, relatives
from koers.followup.forms import RelativeEvaluationForm, RelativeNoteForm
from koers.lib.forms import add_service_error
from koers.network.coordination import coordinator_of
from koers.workspace.relative_views import TOPIC_PAGES, shared_topics

Category = access.Category
Topic = access.Topic

# What each topic means for the relative, in plain words (B1).
TOPIC_WORDS = {
    Topic.CAREPLAN: gettext_lazy("Zorgplan: de afspraken over de zorg en wanneer het weer wordt besproken."),
    Topic.GOALS: gettext_lazy("Doelen en acties: waar %(name)s aan werkt, en wie wat doet."),
    Topic.DECISIONS: gettext_lazy("Samen beslissen: keuzes die %(name)s met de zorgverlener maakte."),
    Topic.CONSULTS: gettext_lazy("Gesprekken: het volgende gesprek, en wat %(name)s ervoor opschreef."),
    Topic.QUESTIONNAIRES: gettext_lazy("Vragenlijsten: wat %(name)s invulde en de uitslagen."),
    Topic.MEASUREMENTS: gettext_lazy("Metingen: wat %(name)s bijhoudt, zoals bloeddruk of slaap."),
    Topic.CRISIS_PLAN: gettext_lazy("Crisisplan: signalen, wat helpt en wie u belt als het niet goed gaat."),
    Topic.PROFILE: gettext_lazy("Profiel: wat voor %(name)s belangrijk is."),
    Topic.CLINICAL: gettext_lazy("Aandoeningen en medicijnen."),
    Topic.DOCUMENTS: gettext_lazy("Brieven en documenten."),
}

ALLOW = require_http_methods(["GET", "HEAD", "POST"])


def _shares(request, person) -> list[dict]:
    topics = shared_topics(access.categories_for(request.user, person))
    return [
        {
            "topic": str(t),
            "words": str(TOPIC_WORDS[t]) % {"name": person.given_name},
            "url": reverse(TOPIC_PAGES[t], kwargs={"person_id": person.pk}) if t in TOPIC_PAGES else "",
        }
        for t in topics
    ]


@ALLOW
@relative_view(Category.RELATIVE_NOTES, object_type=relatives.NOTE)
def person_page(request, person):
    """The relative's own page about ``person``; a POST sends their note to the coordinator."""
    coordinator = coordinator_of(person)
    form = RelativeNoteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            relatives.relative_note_send(actor=request.user, person=person, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if coordinator is not None:
                sent = _("Uw bericht is verstuurd naar %(name)s.") % {"name": coordinator.professional.display_name()}
            else:
                sent = _("Uw bericht is verstuurd naar het zorgteam.")
            messages.success(request, sent)
            return redirect("workspace:relative_person", person_id=person.pk)
    shares = _shares(request, person)
    context = {
        "person": person,
        "shares": shares,
        "crisis_plan_url": next((s["url"] for s in shares if s["topic"] == str(Topic.CRISIS_PLAN)), ""),
        "coordinator": coordinator,
        "form": form,
        "notes": relative_selectors.own_notes(person, request.user),
        "invitation": relative_selectors.own_open_input(person, request.user),
    }
    return render(request, "workspace/relative_person.html", context)


@ALLOW
@relative_view(Category.RELATIVE_EVALUATION, object_type=relatives.INPUT)
def evaluation(request, person):
    """The person's invitation to give input for the yearly evaluation, and the short form.
    Without an invitation the page says so; a POST then is a missing record (the service)."""
    current = relative_selectors.own_open_input(person, request.user)
    if request.method == "POST":
        form = RelativeEvaluationForm(request.POST, person_name=person.given_name)
        if form.is_valid():
            try:
                relatives.relative_evaluation_answer(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Dank u wel. Uw antwoorden zijn bewaard voor het gesprek."))
                return redirect("workspace:relative_evaluation", person_id=person.pk)
        elif current is None:  # nothing to answer: a missing record, whatever was sent
            relatives.relative_evaluation_answer(actor=request.user, person=person)
    else:
        initial = {}
        if current is not None and current.answered_at is not None:
            fields = ("how_it_went", "what_helped", "own_load", "own_load_words", "share_with_person")
            initial = {name: getattr(current, name) for name in fields}
        form = RelativeEvaluationForm(initial=initial, person_name=person.given_name)
    context = {"person": person, "form": form, "invitation": current}
    return render(request, "workspace/relative_evaluation.html", context)
