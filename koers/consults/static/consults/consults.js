// htmx settles "style" among other attributes when a swapped element keeps its id; setting even
// an empty style attribute is an inline style, which our Content-Security-Policy refuses (and
// logs). Nothing here uses inline styles, so settle classes and sizes only.
if (window.htmx) {
  window.htmx.config.attributesToSettle = ["class", "width", "height"];
}
