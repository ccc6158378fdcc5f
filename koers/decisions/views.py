"""Views of koers.decisions. Thin: parse input, call a service or selector, render."""
