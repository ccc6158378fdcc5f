"""Views of koers.goals. Thin: parse input, call a service or selector, render."""
