"""``$export`` lines of one shape from one mapper run (issue #15, the export's speed).

Most lines of an export are alike: ten self-measurements of one type differ only in their id,
their person, two times and the value. ``Shapes`` runs the mapper once per *shape* (what makes
the lines' structure differ: the type, the source, whether a time is there) with marker values,
finds the markers in the line it gives and keeps the text around them; a row of that shape is
then the same text with its own values put in — the same bytes, at a fraction of the cost of
building the resource and encoding it.

The mapper stays the one definition of a line: a template is only made from its output, and the
first row of every shape is also mapped in full and compared byte for byte. A shape whose
template would give a different line (a marker found twice or not at all, a value the mapper
transforms in a way the template does not know) is never used: its rows go through the mapper.
A value the template cannot write the way ``json.dumps`` writes it (anything but an int, a finite
float, or text made by the caller's own formatter) has to be kept out of the shape's slots by the
caller, e.g. by falling back for such rows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from operator import itemgetter

_MISSING = object()


class Shapes:
    """Lines by shape. ``line(data)`` is the mapper's line (bytes); ``markers(data)`` the data of
    the same shape with a unique marker value in every slot; ``texts(data)`` the slots' values of
    a row as they are written in a line (a tuple of str, one per slot)."""

    def __init__(
        self,
        line: Callable[[object], bytes],
        markers: Callable[[object], object],
        texts: Callable[[object], tuple[str, ...]],
    ):
        self._line, self._markers, self._texts = line, markers, texts
        self._templates: dict[Hashable, tuple[str, Callable, tuple[int, ...]] | None] = {}
        self.mapped = self.templated = 0  # rows each way (for profiling and tests)

    def render(self, key: Hashable, data) -> bytes:
        """The line of ``data``, whose shape is ``key``."""
        template = self._templates.get(key, _MISSING)
        if template is None:
            self.mapped += 1
            return self._line(data)
        if template is _MISSING:
            line = self._line(data)
            self._templates[key] = self._compile(data, line)
            self.mapped += 1
            return line
        self.templated += 1
        text, pick, _slots = template
        return (text % pick(self._texts(data))).encode()

    def template(self, key: Hashable, data) -> tuple[str, tuple[int, ...]] | None:
        """The %-template of ``data``'s shape (``key``) and the slot of each of its ``%s``s in
        order, checked against the mapper's line for ``data``; None when the shape is not used.
        For whoever fills the slots elsewhere (``koers.fhir.bulk_sql``: in the database)."""
        template = self._templates.get(key, _MISSING)
        if template is _MISSING:
            template = self._templates[key] = self._compile(data, self._line(data))
        return None if template is None else (template[0], template[2])

    def _compile(self, data, line: bytes) -> tuple[str, Callable, tuple[int, ...]] | None:
        """The %-template of ``data``'s shape and how to pick the slots' texts for its ``%s``s, or
        None when it would not give the mapper's line for ``data``."""
        marked_data = self._markers(data)
        marked = self._line(marked_data).decode("utf-8")
        marks = self._texts(marked_data)
        found = []  # (position, slot) of every marker in the marked line
        for slot, mark in enumerate(marks):
            if marked.find(mark) < 0 or any(mark in other for i, other in enumerate(marks) if i != slot):
                return None
            start = marked.find(mark)
            while start >= 0:
                found.append((start, slot))
                start = marked.find(mark, start + len(mark))
        text, at = "", 0
        for start, slot in sorted(found):
            if start < at:
                return None  # markers overlap
            text += marked[at:start].replace("%", "%%") + "%s"
            at = start + len(marks[slot])
        slots = tuple(slot for _start, slot in sorted(found))
        pick = itemgetter(*slots) if len(slots) > 1 else (lambda texts: (texts[slots[0]],))
        template = (text + marked[at:].replace("%", "%%"), pick, slots)
        try:
            same = (template[0] % pick(self._texts(data))).encode() == line
        except (TypeError, ValueError):
            same = False
        return template if same else None
