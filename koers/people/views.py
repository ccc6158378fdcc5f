"""Views of koers.people. Thin: parse input, call a service or selector, render."""
