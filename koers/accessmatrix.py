"""Print the access matrix of docs/access.md, or write it there: ``python -m koers.accessmatrix [--write]``;
with it the FHIR API's matrix of docs/fhir-access-matrix.md (``koers.fhir.access_matrix``).

A runner only: Django must be set up before ``koers.access`` can be imported (the guard reads
models); the matrix itself (``koers.access.matrix``) reads nothing but the policy table.
"""

import os
import sys

import django


def run(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.test_settings")
    django.setup()
    from koers.access import matrix  # after setup: the access package imports models
    from koers.fhir import access_matrix as fhir_matrix  # after setup: the registry is filled in ready()

    matrix.main(argv)
    fhir_matrix.main(argv)


if __name__ == "__main__":
    run(sys.argv[1:])
