"""Views of koers.consults. Thin: parse input, call a service or selector, render."""
