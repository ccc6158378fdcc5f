"""The shared templates in koers/templates: one form field, the menus, the person tabs.

Form fields are checked through their HTML: every id an input or group points to with
aria-describedby must exist on the page, ids are unique, and a group of radios or checkboxes is a
fieldset with a legend.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, attrs, parent, [], ""

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()


class Tree(HTMLParser):
    """A small DOM: enough to follow ids, aria references and nesting."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self.current = self.root
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text += data

    def all(self, tag: str | None = None, **attrs) -> list[Element]:
        return [
            e
            for e in self.root.iter()
            if (tag is None or e.tag == tag) and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id: str) -> Element:
        (found,) = [e for e in self.root.iter() if e.attrs.get("id") == element_id]
        return found


def reference_problems(html: str) -> list[str]:
    """Duplicate ids and aria-describedby / aria-labelledby / label[for] pointing nowhere."""
    tree = Tree(html)
    ids = [e.attrs["id"] for e in tree.root.iter() if "id" in e.attrs]
    problems = [f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    known = set(ids)
    for element in tree.root.iter():
        for attribute in ("aria-describedby", "aria-labelledby"):
            for ref in element.attrs.get(attribute, "").split():
                if ref not in known:
                    problems.append(f"<{element.tag} {attribute}={ref!r}> points to no element")
        if element.tag == "label" and element.attrs.get("for") and element.attrs["for"] not in known:
            problems.append(f"<label for={element.attrs['for']!r}> points to no element")
    return problems


class SampleForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=5, help_text="Zoals in het paspoort.")
    remark = forms.CharField(label="Opmerking", required=False)
    mood = forms.ChoiceField(
        label="Hoe gaat het?",
        choices=[("good", "Goed"), ("bad", "Slecht")],
        widget=forms.RadioSelect,
        help_text="Kies er één.",
    )
    days = forms.MultipleChoiceField(
        label="Welke dagen?",
        choices=[("mon", "Maandag"), ("tue", "Dinsdag")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agreed = forms.BooleanField(label="Akkoord", help_text="De cliënt stemt in.")


def render_form(form) -> str:
    return render_to_string("includes/form_fields.html", {"form": form})


def test_invalid_form_links_every_input_to_its_help_text_and_error():
    form = SampleForm(data={"name": "veel te lang", "mood": "neither"})
    assert not form.is_valid()
    html = render_form(form)
    tree = Tree(html)

    assert reference_problems(html) == []
    name = tree.by_id("id_name")
    assert name.attrs["aria-describedby"] == "id_name_helptext id_name_error"
    assert tree.by_id("id_name_helptext").all_text() == "Zoals in het paspoort."
    assert "5 tekens" in tree.by_id("id_name_error").all_text()
    assert name.attrs["aria-invalid"] == "true"

    agreed = tree.by_id("id_agreed")
    assert agreed.attrs["aria-describedby"] == "id_agreed_helptext id_agreed_error"
    assert tree.by_id("id_agreed_error").all_text()
    # The older, hand-made ids are gone: nothing may point to them and nothing carries them.
    assert not [e for e in tree.root.iter() if e.attrs.get("id", "").endswith(("-help", "-error"))]


def test_radio_and_checkbox_groups_are_fieldsets_with_a_legend_that_carry_the_description():
    form = SampleForm(data={"name": "Anna", "mood": "neither"})
    assert not form.is_valid()
    html = render_form(form)
    tree = Tree(html)
    assert reference_problems(html) == []

    fieldsets = tree.all("fieldset")
    assert len(fieldsets) == 2  # mood (radios) and days (checkboxes); not the single checkbox
    mood, days = fieldsets
    assert mood.children[0].tag == "legend" and mood.children[0].all_text().strip() == "Hoe gaat het?"
    assert mood.attrs["aria-describedby"] == "id_mood_helptext id_mood_error"
    radios = [e for e in mood.iter() if e.tag == "input" and e.attrs.get("type") == "radio"]
    assert len(radios) == 2
    assert all("aria-describedby" not in r.attrs for r in radios)  # the fieldset describes the group
    assert days.children[0].tag == "legend" and "Welke dagen?" in days.children[0].all_text()
    assert "niet verplicht" in days.children[0].all_text()
    assert "aria-describedby" not in days.attrs  # no help, no error: nothing to point to
    checkboxes = [e for e in days.iter() if e.tag == "input" and e.attrs.get("type") == "checkbox"]
    assert len(checkboxes) == 2
    # Inputs outside a group are never inside a fieldset.
    assert not [a for a in tree.by_id("id_name").ancestors() if a.tag == "fieldset"]


def test_valid_or_unbound_fields_point_only_to_their_help_text():
    html = render_form(SampleForm())
    tree = Tree(html)
    assert reference_problems(html) == []
    assert tree.by_id("id_name").attrs["aria-describedby"] == "id_name_helptext"
    assert "aria-describedby" not in tree.by_id("id_remark").attrs
    assert not tree.all("p", class_="error")
    assert "niet verplicht" in Tree(html).by_id("id_remark").parent.all_text()


@pytest.mark.django_db
def test_login_page_with_errors_has_no_dangling_references(client):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert reference_problems(html) == []


def test_password_change_with_errors_links_help_and_errors(cast, login):
    client = login(cast.noor)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "fout", "new_password1": "kort", "new_password2": "anders"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert reference_problems(html) == []
    tree = Tree(html)
    new1 = tree.by_id("id_new_password1")
    assert "id_new_password1_helptext" in new1.attrs["aria-describedby"].split()
    assert tree.by_id("id_new_password1_helptext").all_text().startswith("Minstens 10 tekens")
    old = tree.by_id("id_old_password")
    assert old.attrs["aria-describedby"] == "id_old_password_error"


# --- base.html: htmx settings, menus ------------------------------------------------------------


def _menu_links(html: str) -> list[str]:
    tree = Tree(html)
    (nav,) = [n for n in tree.all("nav") if n.attrs.get("aria-label") == "Hoofdmenu"]
    return [a.attrs["href"] for a in nav.iter() if a.tag == "a"]


def _htmx_config(html: str) -> dict:
    import json

    (meta,) = Tree(html).all("meta", name="htmx-config")
    return json.loads(meta.attrs["content"])


@pytest.mark.django_db
def test_htmx_never_settles_style_attributes_which_csp_refuses(client):
    config = _htmx_config(client.get(reverse("accounts:login")).content.decode())
    assert config["attributesToSettle"] == ["class", "width", "height"]
    assert config["allowScriptTags"] is False


def test_portal_menu_reaches_every_portal_section(cast, login):
    html = login(cast.anna_user).get(reverse("workspace:portal_home")).content.decode()
    links = _menu_links(html)
    for name in (
        "workspace:portal_home",
        "consults:portal_prepare",
        "decisions:portal_list",
        "goals:portal_goals",
        "careplans:portal_plan",
        "people:portal_profile",
        "questionnaires:portal_list",
        "screening:portal_overview",
        "notifications:portal_inbox",
    ):
        assert reverse(name) in links, name
    assert reverse("workspace:caseload") not in links
    for link in links:  # every menu entry opens for the person
        assert login(cast.anna_user).get(link).status_code == 200, link


def test_professional_menu_has_the_caseload_the_worklist_and_no_portal_pages(cast, login):
    html = login(cast.noor).get(reverse("workspace:caseload")).content.decode()
    links = _menu_links(html)
    expected = [
        "workspace:caseload",
        "followup:worklist",
        "notifications:workspace_inbox",
        "socialmap:list",
        "handover:inbox",
        "documents:caseload_search",
        "accounts:colleagues",
        "workspace:emergency_start",
    ]
    assert links == [reverse(name) for name in expected]
    for link in links:
        assert login(cast.noor).get(link).status_code == 200, link


def test_password_change_link_for_everyone_logged_in_and_nobody_else(cast, login, client):
    target = reverse("accounts:password_change")
    for user, page in ((cast.noor, "workspace:caseload"), (cast.anna_user, "workspace:portal_home")):
        html = login(user).get(reverse(page)).content.decode()
        (link,) = [a for a in Tree(html).all("a") if a.attrs.get("href") == target]
        assert link.all_text() == "Wachtwoord veranderen"
        assert login(user).get(target).status_code == 200
    client.logout()
    assert f'href="{target}"' not in client.get(reverse("accounts:login")).content.decode()


# --- person tabs ----------------------------------------------------------------------------------


def _tabs(html: str) -> dict[str, Element]:
    tree = Tree(html)
    (nav,) = [n for n in tree.all("nav") if n.attrs.get("aria-label") == "Onderdelen van het dossier"]
    return {a.attrs["href"]: a for a in nav.iter() if a.tag == "a"}


def test_person_tabs_reach_the_care_team_and_mark_the_current_tab(cast, login):
    client = login(cast.noor)
    care_team = reverse("network:care_team", args=[cast.anna.pk])
    overview = reverse("workspace:person", args=[cast.anna.pk])

    tabs = _tabs(client.get(overview).content.decode())
    assert tabs[care_team].all_text() == "Zorgteam"
    assert "aria-current" not in tabs[care_team].attrs and tabs[overview].attrs["aria-current"] == "page"

    response = client.get(care_team)
    assert response.status_code == 200
    tabs = _tabs(response.content.decode())
    assert [href for href, a in tabs.items() if a.attrs.get("aria-current") == "page"] == [care_team]
    for href in tabs:  # every tab opens for the care team
        assert client.get(href).status_code == 200, href


# --- caseload ---------------------------------------------------------------------------------------


def test_caseload_offers_registering_a_client_where_the_register_page_opens(cast, login):
    client = login(cast.noor)
    html = client.get(reverse("workspace:caseload")).content.decode()
    register = reverse("people:register")
    (link,) = [a for a in Tree(html).all("a") if a.attrs.get("href") == register]
    assert link.all_text() == "Cliënt inschrijven"
    assert client.get(register).status_code == 200
    # The htmx search answer replaces only the rows; the link is not repeated in it.
    rows = client.get(reverse("workspace:caseload"), {"q": "Anna"}, HTTP_HX_REQUEST="true").content.decode()
    assert register not in rows


# --- wide tables --------------------------------------------------------------------------------


def test_wide_tables_scroll_in_a_named_region_that_the_keyboard_reaches(cast, login):
    from koers.audit import log as audit_log

    audit_log.record(user=cast.noor, action="R", person=cast.anna, object_type="overview", object_id=cast.anna.pk)
    pages = [
        (cast.noor, reverse("workspace:caseload"), "Cliënten in uw zorg"),
        (cast.anna_user, reverse("workspace:portal_log"), "Toegang tot mijn gegevens"),
    ]
    for user, url, label in pages:
        (region,) = Tree(login(user).get(url).content.decode()).all("div", class_="table-scroll")
        assert region.attrs == {"class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": label}
