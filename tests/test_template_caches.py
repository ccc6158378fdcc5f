"""The template caches change nothing a reader sees (issue #18, "The person pages' templates").

``koers.lib.templatetags.i18n_cached`` keeps ``{% translate "literal" %}``'s text per language and
``koers.lib.templatetags.url_cached`` (through ``koers.lib.urls_cached``) keeps the shape of
``{% url %}``'s answer per URL name. Both must give exactly what Django's own tags give:

- every URL name of the project, reversed with whole numbers, against ``reverse``;
- a template of literals, variables, filters, ``as``, ``noop`` and ``context`` in Dutch and
  English, against Django's ``i18n`` library;
- the person overview, the care plan and the goals page (and the person's own plan and goals in
  the portal), in Dutch and English, rendered with the caches and with Django's own tags
  (settings.TEMPLATES without them), byte for byte apart from the random CSRF token.
"""

from __future__ import annotations

import copy
import re

import pytest
from django.conf import settings
from django.template import Context, Engine
from django.test import override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from koers.accounts.models import User
from koers.lib.urls_cached import reverse_ints
from tests.support.testing import make_full_record

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p.pattern.regex.groups


def test_every_url_name_reverses_as_django_does():
    checked = 0
    for name, groups in set(_names(get_resolver().url_patterns)):
        for args in ((), (0,), (7,), (123456,), (1, 2), (98, 7654, 3), (5, 5, 5)):
            if len(args) != groups:
                continue
            try:
                expected = reverse(name, args=args)
            except NoReverseMatch:
                with pytest.raises(NoReverseMatch):
                    reverse_ints(name, args)
                continue
            assert reverse_ints(name, args) == expected, name
            assert reverse_ints(name, args) == expected, name  # the second time from the kept shape
            checked += 1
    assert checked > 200  # the walk found the project's pages


def test_arguments_that_are_not_whole_numbers_go_to_reverse():
    with pytest.raises(NoReverseMatch):
        reverse_ints("careplans:plan", (-1,))
    assert reverse_ints("careplans:plan", ("12",)) == reverse("careplans:plan", args=["12"])
    with pytest.raises(NoReverseMatch):
        reverse_ints("careplans:plan", (True,))  # a bool is not an id


TEMPLATE = """{% load i18n %}
{% translate "Zorgplan" %}|{% trans 'Doelen en acties' %}|{% translate "Zorgplan" as z %}[{{ z }}]
{% translate "50% <b>" %}|{% translate "Zorgplan" noop %}|{% translate "Zorgplan"|upper %}
{% translate word %}|{% translate "May" context "month name" %}
{% autoescape off %}{% translate "a & b" %}{% endautoescape %}
{% url 'careplans:plan' 7 %}|{% url 'careplans:plan' pk as u %}[{{ u }}]
{% url 'health' %}|{% url 'nope' as n %}[{{ n }}]
{% url 'careplans:follow_up_edit' pk 3 %}|{% url 'monitoring:detail' pk 'stappen' %}
{% url 'careplans:plan' person_id=pk %}
"""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_tags_render_as_djangos_own(language):
    options = settings.TEMPLATES[0]["OPTIONS"]
    ours = Engine(libraries=options["libraries"], builtins=options["builtins"])
    django = Engine(libraries={"i18n": "django.templatetags.i18n"})
    context = {"word": "Zorgplan", "pk": 42}
    with translation.override(language):
        for _ in range(2):  # the second time from the caches
            got = ours.from_string(TEMPLATE).render(Context(context))
            assert got == django.from_string(TEMPLATE).render(Context(context))
    assert "/personen/42/zorgplan/" in got


def _djangos_own_templates():
    templates = copy.deepcopy(settings.TEMPLATES)
    options = templates[0]["OPTIONS"]
    del options["libraries"]["i18n"]
    del options["builtins"]
    return templates


def _pages(client, person):
    return [
        CSRF.sub(r"\1TOKEN", client.get(reverse(name, args=[person.pk])).content.decode())
        for name in ("workspace:person", "careplans:plan", "goals:list")
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_person_pages_are_byte_for_byte_the_same(cast, client, language):
    make_full_record(cast.anna, professional=cast.noor)
    User.objects.filter(pk__in=[cast.noor.pk, cast.anna_user.pk]).update(preferred_language=language)
    client.force_login(cast.noor)
    cached = _pages(client, cast.anna) + _pages(client, cast.bas)
    with override_settings(TEMPLATES=_djangos_own_templates()):
        plain = _pages(client, cast.anna) + _pages(client, cast.bas)
    assert all(html.count("<main") == 1 for html in cached)
    assert cached == plain
    client.force_login(cast.anna_user)
    portal = [reverse("careplans:portal_plan"), reverse("goals:portal_goals")]
    cached = [CSRF.sub(r"\1TOKEN", client.get(url).content.decode()) for url in portal]
    with override_settings(TEMPLATES=_djangos_own_templates()):
        plain = [CSRF.sub(r"\1TOKEN", client.get(url).content.decode()) for url in portal]
    assert cached == plain


def test_a_translate_as_node_is_never_changed_while_it_renders(monkeypatch):
    """The node is shared by every thread that renders the template: another thread must never
    see it without its ``as`` name (it would print the text instead of setting the variable)."""
    from django.templatetags import i18n as django_i18n

    from koers.lib.templatetags import i18n_cached

    template = Engine.get_default().from_string('{% load i18n %}{% translate "Opslaan" as label %}[{{ label }}]')
    (node,) = [n for n in template.nodelist if hasattr(n, "asvar")]
    seen = []
    render = django_i18n.render_value_in_context

    def watching(value, context):  # called while the literal's text is made, by either path
        seen.append(node.asvar)
        return render(value, context)

    monkeypatch.setattr(i18n_cached, "render_value_in_context", watching, raising=False)
    monkeypatch.setattr(django_i18n, "render_value_in_context", watching)
    i18n_cached._RENDERED.clear()
    with translation.override("en"):
        assert template.render(Context()) == "[Save]"
    assert seen == ["label"]


def test_the_one_template_library_name_used_twice_is_our_i18n():
    """Django warns (templates.W003) when two tag modules share a name. Ours shares "i18n" with
    Django's on purpose, so settings silence that warning; this test keeps the warning's job for
    every other name (and fails if the override is gone or another duplicate appears)."""
    from django.template import engines

    warnings = engines["django"]._check_for_template_tags_with_the_same_name()
    assert [w.msg for w in warnings] == [
        "'i18n' is used for multiple template tag modules: "
        "'django.templatetags.i18n', 'koers.lib.templatetags.i18n_cached'"
    ]
    assert "templates.W003" in settings.SILENCED_SYSTEM_CHECKS


TABS = "{% load access_tags %}{% person_tab_list person active %}"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_person_tabs_kept_per_reader_categories_are_the_tabs_rendered_each_time(cast, rf, language):
    """The person tabs' HTML kept per language, tab and categories (``person_tab_list``) is what
    ``includes/person_tab_list.html`` renders for that reader and person, and shows exactly the
    tabs the reader's categories allow: a reader with fewer categories sees fewer tabs."""
    from django.template import engines

    from koers.access import guard
    from koers.access.templatetags import access_tags

    make_full_record(cast.anna, professional=cast.noor)
    engine = engines["django"]
    direct = engine.get_template("includes/person_tab_list.html")
    kept = engine.from_string(TABS)
    seen: dict[frozenset, str] = {}
    with translation.override(language):
        for user in (cast.noor, cast.gert, cast.cor, cast.pieter, cast.mia, cast.sam):
            for person in (cast.anna, cast.bas):
                categories = guard.categories_for(user, person)
                for active in ("overview", "plan", "goals", "search", None):
                    for _ in range(2):  # the second time from the kept HTML
                        request = rf.get("/")
                        request.user = user
                        got = kept.render({"person": person, "active": active}, request)
                        request = rf.get("/")
                        request.user = user
                        assert got == direct.render({"person": person, "active": active}, request)
                    assert str(access_tags._STAND_IN) not in got
                    if active == "plan":
                        seen[categories] = got
    assert len(seen) >= 2, "readers with different categories were compared"
    counts = sorted(html.count("<li>") for html in seen.values())
    assert counts[0] < counts[-1], "fewer categories, fewer tabs"


def test_care_plan_save_form_fields_rendered_once_per_language_are_the_forms(cast, client):
    """The care plan's empty "save as agreed version" form is rendered once per language
    (``careplans.views._unbound_save_form_fields``): the same HTML as rendering the form, in
    each language, and on the page."""
    from django.template.loader import render_to_string

    from koers.careplans.forms import SaveVersionForm
    from koers.careplans.views import _unbound_save_form_fields

    client.force_login(cast.noor)
    seen = set()
    for language in ("nl", "en", "nl"):
        with translation.override(language):
            fresh = render_to_string("includes/form_fields.html", {"form": SaveVersionForm()})
            assert _unbound_save_form_fields() == fresh
        seen.add(fresh)
        User.objects.filter(pk=cast.noor.pk).update(preferred_language=language)
        page = client.get(reverse("careplans:plan", args=[cast.anna.pk])).content.decode()
        assert fresh in page
    assert len(seen) == 2, "Dutch and English differ"


MENU = "{% load menu_tags %}{% main_menu %}"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_main_menu_kept_per_kind_is_the_menu_rendered_each_time(cast, rf, language):
    """``{% main_menu %}`` (base.html) keeps the portal's and the professionals' menu per language:
    it must be what ``includes/main_menu.html`` renders in the page's context, for every kind of
    reader (the relatives' menu, with its unread count, is rendered each time)."""
    from django.template import engines

    from koers.lib.templatetags import menu_tags

    engine = engines["django"]
    kept, direct = engine.from_string(MENU), engine.from_string('{% include "includes/main_menu.html" %}')
    menu_tags._menus.clear()
    shown = set()
    with translation.override(language):
        for user, path in ((cast.noor, "/werkplek/"), (cast.anna_user, "/portaal/"), (cast.rob, "/naaste/")):
            for _ in range(2):  # the second time from the kept HTML
                request = rf.get(path)
                request.user = user
                got = kept.render({}, request)
                request = rf.get(path)
                request.user = user
                assert got == direct.render({}, request), user
            assert got.count("<li>") >= 1, user
            shown.add(got)
    assert len(shown) == 3
    assert {key[0] for key in menu_tags._menus} == {"portal", "professional"}


DATE_FORMATS = [
    None,
    "j-n-Y",
    "j F Y",
    "j-n-Y H:i",
    "l j F Y, H:i:s",
    "D d M y",
    "N E b",
    "e T O P I U",
    "DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "\\\\j\\e j",
    "r c",
]


def _date_values():
    import datetime as dt
    from zoneinfo import ZoneInfo

    amsterdam, utc = ZoneInfo("Europe/Amsterdam"), dt.UTC
    instant = dt.datetime(2026, 10, 25, 0, 30, tzinfo=utc)  # 02:30 in Amsterdam, summer time
    later = instant + dt.timedelta(hours=1)  # 02:30 again, winter time: the same wall clock
    return [
        dt.date(2026, 3, 4), dt.date(1931, 12, 31), dt.date(2026, 3, 4),
        dt.datetime(2026, 3, 4, 9, 5), dt.datetime(2026, 10, 25, 2, 30), dt.datetime(2026, 10, 25, 2, 30, fold=1),
        instant, instant.astimezone(amsterdam), later.astimezone(amsterdam),
        instant.astimezone(dt.timezone(dt.timedelta(hours=-5))),
        None, "", "2026-03-04", dt.time(9, 5), 17,
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_kept_date_filter_gives_djangos_text(language):
    """``date_cached.date`` against Django's own filter, for dates, naive date-times on both sides
    of the autumn's repeated hour, the same instant in three zones, and values Django's filter
    turns into "" or formats its own way; each twice (the second from the store)."""
    from django.template.defaultfilters import date as django_date

    from koers.lib.templatetags import date_cached

    def outcome(filter_, value, fmt):  # Django refuses a time format for a date: so must we
        try:
            return filter_(value, fmt)
        except TypeError as exc:
            return f"TypeError: {exc}"

    date_cached._FORMATTED.clear()
    with translation.override(language):
        for _ in range(2):
            for value in _date_values():
                for fmt in DATE_FORMATS:
                    assert outcome(date_cached.date, value, fmt) == outcome(django_date, value, fmt), (value, fmt)
    assert date_cached._FORMATTED  # the dates were kept


def test_the_kept_date_filter_is_the_one_templates_use_and_forgets_on_a_setting_change():
    import datetime as dt

    from koers.lib.templatetags import date_cached

    template = Engine.get_default().from_string('{{ d|date:"j F Y" }}|{{ d|date }}')
    date_cached._FORMATTED.clear()
    with translation.override("nl"):
        assert template.render(Context({"d": dt.date(2026, 3, 4)})) == "4 maart 2026|4 maart 2026"
    assert len(date_cached._FORMATTED) == 2
    with override_settings(DATE_FORMAT="Y-m-d"), translation.override("en"):
        assert not date_cached._FORMATTED
        assert template.render(Context({"d": dt.date(2026, 3, 4)})).startswith("4 March 2026|")


TOKEN = re.compile(r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]+)')
PAGE = '{% extends "base.html" %}{% block title %}T{% endblock %}{% block content %}<p>{{ shown }}</p>{% endblock %}'


@pytest.mark.parametrize("language", ["nl", "en"])
def test_base_html_kept_pieces_are_base_html_rendered_each_time(cast, rf, language, monkeypatch):
    """``{% kept %}`` (base.html's head, header and footer, kept per kind of reader and language)
    gives what rendering them each time gives, for every kind of reader, the second time too; what
    stays outside (the CSRF tokens, the language form's next path, the blocks) follows the request."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.template import engines

    from koers.lib.templatetags import menu_tags

    page = engines["django"].from_string(PAGE)

    def render(user, path, shown, *, kept=True):
        request = rf.get(path)
        request.user, request.session = user, {}
        request._messages = FallbackStorage(request)
        if not kept:
            monkeypatch.setattr(menu_tags, "_kept_key", lambda context: None)
        try:
            return page.render({"shown": shown}, request)
        finally:
            monkeypatch.undo()

    readers = (cast.noor, cast.anna_user, cast.rob, AnonymousUser())  # professional, portal, relative, none
    with translation.override(language):
        for user in readers:
            for n, path in enumerate(("/werkplek/", "/personen/7/zorgplan/?a=1", "/mijn/")):
                got = render(user, path, f"content {n}")
                assert CSRF.sub(r"\1-", got) == CSRF.sub(r"\1-", render(user, path, f"content {n}", kept=False)), user
                assert f'name="next" type="hidden" value="{path.replace("&", "&amp;")}"' in got
                assert f"<p>content {n}</p>" in got and "<title>T · Koers</title>" in got
                assert f'<html lang="{language}">' in got
            first, second = (TOKEN.findall(render(user, "/", "")) for _ in range(2))
            assert len(first) == len(second) == (3 if user.is_authenticated else 2)
            assert len(set(first)) == len(set(second)) == 1 and first != second, "a token of its own on every page"
    kinds = {key[0] for node in _kept_nodes(page) for key in node.kept}
    assert kinds == {"professional", "portal"}, "relatives and anonymous readers are rendered each time"


def _kept_nodes(page):
    from koers.lib.templatetags.menu_tags import KeptNode

    base = page.template.engine.get_template("base.html")
    return [n for n in base.nodelist if isinstance(n, KeptNode)]


def test_kept_refuses_a_block():
    """A ``{% block %}`` inside ``{% kept %}`` would keep the first page's block for all pages."""
    from django.template import TemplateSyntaxError, engines

    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load menu_tags %}{% kept %}{% block a %}{% endblock %}{% endkept %}")


def test_language_block_inside_a_render_translates_in_its_language():
    """The kept tags read the language once per render (``koers.lib.template_state``);
    ``{% language %}`` switches it for its block only, and a context rendered again in another
    language is looked up again."""
    from django.template import engines
    from django.utils.translation import gettext

    with translation.override("en"):
        english = gettext("Uitloggen")
    assert english != "Uitloggen"
    engine = engines["django"].engine
    page = engine.from_string(
        '{% load i18n %}{% translate "Uitloggen" %}|{% language "en" %}{% translate "Uitloggen" %}'
        '{% include "includes/messages.html" %}{% translate "Uitloggen" %}{% endlanguage %}|{% translate "Uitloggen" %}'
    )
    with translation.override("nl"):
        got = page.render(Context({}))
    assert got.split("|")[0] == got.split("|")[2] == "Uitloggen"
    assert got.split("|")[1].startswith(english) and got.split("|")[1].endswith(english)
    context = Context({})
    for language, expected in (("nl", "Uitloggen"), ("en", english), ("nl", "Uitloggen")):
        with translation.override(language):
            assert engine.from_string('{% load i18n %}{% translate "Uitloggen" %}').render(context) == expected
