"""View decorators that put every page through the access layer.

Each view in Koers carries a ``koers_access`` marker set by one of these decorators. A
test walks the URL configuration and fails for any view without one, so a new page
cannot forget the access layer silently.

- ``person_view(category)``: professional pages under ``/personen/<person_id>/``. The
  person is resolved through ``access.person_for`` (404 and a refused log row otherwise)
  and passed to the view. A successful page (status 200) leaves a READ row naming the
  object shown; writes leave their own rows from the services.
- ``portal_view(category)``: the person's own pages under ``/mijn/``; same, for SELF.
- ``no_person_data``: pages that show no person's data (login, home, language).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login

from koers import access


def _mark(view, **info):
    view.koers_access = info
    return view


def _page_object(kwargs, object_kwarg):
    if object_kwarg and object_kwarg in kwargs:
        return kwargs[object_kwarg]
    return ""


def person_view(category: access.Category, *, object_type: str = "", object_kwarg: str | None = None):
    def decorator(view):
        @wraps(view)
        def wrapper(request, person_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            object_id = _page_object(kwargs, object_kwarg)
            person = access.person_for(
                request.user,
                person_id,
                category=category,
                action=access.Action.READ,
                object_type=object_type or str(category),
                object_id=object_id,
                log=False,
                include_self=False,
            )
            response = view(request, person, *args, **kwargs)
            if response.status_code == 200:
                access.record(
                    request.user,
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
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            object_id = _page_object(kwargs, object_kwarg)
            person = access.own_person(
                request.user,
                category=category,
                action=access.Action.READ,
                object_type=object_type or str(category),
                object_id=object_id,
                log=False,
            )
            response = view(request, person, *args, **kwargs)
            if response.status_code == 200:
                access.record(
                    request.user,
                    person,
                    access.Action.READ,
                    object_type=object_type or str(category),
                    object_id=object_id,
                )
            return response

        return _mark(wrapper, scope="portal", category=str(category))

    return decorator


def caseload_view(view):
    """A list of persons: the view itself must use ``access.visible_persons`` and ``record_list``."""
    return _mark(view, scope="caseload")


def no_person_data(view):
    return _mark(view, scope="none")
