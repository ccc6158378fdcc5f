"""Forms of koers.monitoring, one module per meaning: they parse input; the services decide and
validate again.

- ``fields``: what the forms share (how a type is asked, the moment field, radio buttons);
- ``entry``: quick entry and an own item;
- ``plan``: a target and a treatment-change mark (the care team's);
- ``imports``: the upload and the columns;
- ``correct``: correcting one stored value;
- ``diary``: the diary moments.
"""
