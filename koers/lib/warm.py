"""Make a server process ready before it answers: what its first requests would do anyway.

``koers serve`` preloads Koers in gunicorn's master (``koers/gunicorn_conf.py``) and calls
``warm_up`` there once; every worker is then forked with the work done, instead of each doing it
again after every start and every ``max_requests`` replacement (docs/performance.md, "The realistic
mix: where the worker's CPU goes"). Nothing here touches the database or holds anyone's data: the URL patterns (which
import every view module), the translation catalogues of each language, and Koers's own templates
compiled into the template engine's cached loader (with ``DEBUG`` off; with it on the loader
reads the files again on every request, and compiling them here would be wasted).
"""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

KOERS_DIR = Path(__file__).resolve().parent.parent


def warm_up() -> dict[str, int]:
    """Fill the process-wide caches; returns how many of each were filled (for the log and tests)."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    patterns = len(resolver.reverse_dict)  # fills the resolver's lookups (and imports every view)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Koers")  # loads and merges that language's catalogues
    return {"url_names": patterns, "languages": len(settings.LANGUAGES), "templates": compile_templates()}


def compile_templates() -> int:
    """Compile every template under koers/ into the cached loader; 0 when the loader is not cached."""
    from django.template import TemplateSyntaxError, engines
    from django.template.loaders.cached import Loader as CachedLoader

    engine = engines["django"].engine
    if not any(isinstance(loader, CachedLoader) for loader in _loaders(engine.template_loaders)):
        return 0
    count = 0
    for folder in sorted(KOERS_DIR.glob("**/templates")):
        for path in sorted(folder.glob("**/*")):
            if not path.is_file() or path.suffix not in (".html", ".txt"):
                continue
            name = path.relative_to(folder).as_posix()
            try:
                engine.get_template(name)
            except TemplateSyntaxError:  # e.g. a fragment meant only for {% include %} with a block
                logger.debug("template %s not compiled on its own", name)
                continue
            count += 1
    return count


def _loaders(loaders):
    """The loaders and those they wrap (django-template-partials wraps the cached loader)."""
    for loader in loaders:
        yield loader
        yield from _loaders(getattr(loader, "loaders", ()))
