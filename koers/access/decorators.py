"""View decorators that put every page through the access layer.

Each view in Koers carries a ``koers_access`` marker set by one of these decorators. A
test walks the URL configuration and fails for any view without one, so a new page
cannot forget the access layer silently.

- ``person_view(category)``: professional pages under ``/personen/<person_id>/``. The
  person is resolved through ``access.person_for`` (404 and a refused log row otherwise)
  and passed to the view. A successful page (status 200) leaves a READ row naming the
  object shown; writes leave their own rows from the services.
- ``portal_view(category)``: the person's own pages under ``/mijn/``; same, for SELF.
- ``caseload_view``: the workspace's own pages (lists, registering a person); only for a user
  with a caseload, others get 404 and a refused log row.
- ``relative_view(category)``: a relative's read-only pages about one person under
  ``/naaste/<person_id>/``. Only a relative account gets past it, and only while the person
  shares ``category`` with them (``access.person_for``: the relative rule and the person's
  current consent); anyone else gets 404 and a refused log row. READ row on a 200, as above.
- ``relative_area_view``: a relative's own pages without a person (their home, a list that
  must use ``access.visible_persons`` and ``record_list``); anyone else 404 and a refused row.
- ``aggregate_view``: counts about a population, never one person (issue #16, the population
  view). Only a user ``access.may_see_aggregates`` allows gets past it; anyone else gets 404 and
  a refused row. The view decides which organisation or team the user may count (its own only;
  another's id answers 404 through ``access.refuse``) and writes one ``access.record_aggregate``
  row per page or export it serves.
- ``no_person_data``: pages that show no person's data (login, home, language).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.utils.functional import LazyObject, empty

from koers import access
from koers.lib.request_memo import reading_request

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _mark(view, **info):
    view.koers_access = info
    return view


def _reader(request):
    """``request.user`` as the user object itself, put back on the request.

    Django's authentication and django-otp each wrap the user in a lazy object (one inside the
    other), so every attribute read of ``request.user`` — the access check, the log row, the
    templates' dozens — goes through two proxies (~1.3 µs against ~0.1 µs). The middleware has
    read the user by the time a view runs (the second factor is checked for every page), so the
    wrappers are taken off once here: the same object, with django-otp's ``otp_device`` and
    ``is_verified`` on it, read directly."""
    user = request.user
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    request.user = user
    return user


def _page_object(kwargs, object_kwarg):
    if object_kwarg and object_kwarg in kwargs:
        return kwargs[object_kwarg]
    return ""


def _call(view, request, person, *args, **kwargs):
    """The view, after the access check; a reading request (GET, HEAD) remembers what it reads
    for its own duration (``koers.lib.request_memo``), a writing one never does."""
    if request.method not in _SAFE_METHODS:
        return view(request, person, *args, **kwargs)
    with reading_request():
        return view(request, person, *args, **kwargs)


def person_view(
    category: access.Category,
    *,
    object_type: str = "",
    object_kwarg: str | None = None,
    related: tuple[str, ...] = (),
):
    """``related``: one-to-one relations of the person the page shows, read with the access
    check's own query (``access.person_for``); the page still shows them only by ``categories_for``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, person_id, *args, **kwargs):
            user = _reader(request)
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            object_id = _page_object(kwargs, object_kwarg)
            person = access.person_for(
                user,
                person_id,
                category=category,
                action=access.Action.READ,
                object_type=object_type or str(category),
                object_id=object_id,
                log=False,
                include_self=False,
                related=related,
            )
            response = _call(view, request, person, *args, **kwargs)
            if response.status_code == 200:
                access.record(
                    user,
                    person,
                    access.Action.READ,
                    object_type=object_type or str(category),
                    object_id=object_id,
                )
            return response

        return _mark(wrapper, scope="person", category=str(category))

    return decorator


def portal_view(category: access.Category, *, object_type: str = "", object_kwarg: str | None = None):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = _reader(request)
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            object_id = _page_object(kwargs, object_kwarg)
            person = access.own_person(
                user,
                category=category,
                action=access.Action.READ,
                object_type=object_type or str(category),
                object_id=object_id,
                log=False,
            )
            response = _call(view, request, person, *args, **kwargs)
            if response.status_code == 200:
                access.record(
                    user,
                    person,
                    access.Action.READ,
                    object_type=object_type or str(category),
                    object_id=object_id,
                )
            return response

        return _mark(wrapper, scope="portal", category=str(category))

    return decorator


_RELATIVE_ROLE = "relative"  # accounts' User.Role.RELATIVE (access imports nothing above it)


def _is_relative(user) -> bool:
    return getattr(user, "role", None) == _RELATIVE_ROLE


def relative_view(category: access.Category, *, object_type: str = ""):
    """A relative's page about one person: the person's data as they share it, read only.

    A professional in the person's team or the person themself would pass ``person_for`` on
    their own rule; these pages are the relative's view, so anyone but a relative is refused
    first, like a missing record.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, person_id, *args, **kwargs):
            user = _reader(request)
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            kind = object_type or str(category)
            if not _is_relative(user):
                access.refuse(user, person_id=person_id, category=category, action=access.Action.READ, object_type=kind)
            person = access.person_for(
                user, person_id, category=category, action=access.Action.READ, object_type=kind, log=False
            )
            response = view(request, person, *args, **kwargs)
            if response.status_code == 200:
                access.record(user, person, access.Action.READ, object_type=kind)
            return response

        return _mark(wrapper, scope="relative", category=str(category))

    return decorator


def relative_area_view(view=None, *, object_type: str = "relative_area"):
    """A relative's own page without a person (their home). Anyone else: 404 and a refused row."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _is_relative(user):
                access.refuse(
                    user,
                    person_id=None,
                    category=access.Category.DEMOGRAPHICS,
                    action=access.Action.READ,
                    object_type=object_type,
                )
            return view(request, *args, **kwargs)

        return _mark(wrapper, scope="relative_area")

    return decorator(view) if view is not None else decorator


def caseload_view(view=None, *, write: str = access.Action.READ, object_type: str = "caseload"):
    """The workspace's own pages: a list of persons, registering a person, one's inbox.

    Only for a user the policy table gives a caseload (``access.has_caseload``: a professional
    in care teams); anyone else gets ``NotFound`` and a refused row naming ``object_type``, with
    the action READ for a GET and ``write`` for a POST (READ unless given: the caseload's search
    is a POST that only reads). A list must still use
    ``access.visible_persons`` (or ``visible_person_ids``) and ``record_list``.
    Use bare (``@caseload_view``) or with arguments (``@caseload_view(write=Action.CREATE, ...)``).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            action = access.Action.READ if request.method in _SAFE_METHODS else write
            if not access.has_caseload(user, action=action):
                access.refuse(
                    user, person_id=None, category=access.Category.DEMOGRAPHICS, action=action, object_type=object_type
                )
            return view(request, *args, **kwargs)

        return _mark(wrapper, scope="caseload")

    return decorator(view) if view is not None else decorator


def aggregate_view(view=None, *, object_type: str = "aggregate"):
    """Aggregates about a population: only for staff ``access.may_see_aggregates`` allows."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not access.may_see_aggregates(user):
                action = access.Action.READ if request.method in _SAFE_METHODS else access.Action.UPDATE
                access.refuse(
                    user, person_id=None, category=access.Category.DEMOGRAPHICS, action=action, object_type=object_type
                )
            return view(request, *args, **kwargs)

        return _mark(wrapper, scope="aggregate")

    return decorator(view) if view is not None else decorator


def no_person_data(view):
    return _mark(view, scope="none")
