"""The resource types of the FHIR API, one module per domain area, each registering its types in
``koers.fhir.registry`` from ``FhirConfig.ready()``."""
