"""Views of koers.monitoring, one module per meaning. Thin: parse with a form, call a service or
selector, render.

- ``area``: what every page shares (the person's side or the professional's, the item in the
  URL, the period);
- ``overview``: the overview and one item over time;
- ``entry``: quick entry and an own item;
- ``imports``: upload, columns, progress;
- ``professional``: the N=1 analysis, targets and treatment-change marks (professional only);
- ``correct``: correcting or removing a value, stopping an own item;
- ``diary``: the diary moments;
- ``discuss``: "Bespreek dit" from the analysis onto the next consult's agenda.

Every page goes through ``person_view`` / ``portal_view``.
"""
