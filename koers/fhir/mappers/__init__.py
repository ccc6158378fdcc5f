"""Pure mappers between Koers's domain and FHIR R4 (4.0.1) JSON: no database query, no request (issue #15)."""
