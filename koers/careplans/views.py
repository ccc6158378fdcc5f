"""Views of koers.careplans. Thin: parse input, call a service or selector, render."""
