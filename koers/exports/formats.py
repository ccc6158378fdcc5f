"""Other formats of the person's own data, offered on their download page (issue #15).

``exports`` sits below the apps that know other formats (the FHIR API), so it does not import
them: an app above registers a ``Format`` from its ``AppConfig.ready()`` (``koers.fhir``
registers the FHIR Bundle), and the page offers every registered one. A format renders the
person's data *now*, on request, as the person may read it; the page's decorator checks the
person (``Category.ACCESS_LOG``, as the zip) and writes the access-log row of the download.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    key: str  # the page: /mijn/gegevens-downloaden/<key>/ (URL name exports:format_<key>)
    label: str  # the link's text (lazy translation)
    description: str  # one sentence under the link (lazy translation)
    content_type: str
    extension: str
    render: Callable[..., bytes]  # (actor, person, *, base_url) -> the file


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    _FORMATS[fmt.key] = fmt


def get(key: str) -> Format | None:
    return _FORMATS.get(key)


def all_formats() -> list[Format]:
    return list(_FORMATS.values())
