// Small progressive enhancements. Every page works without this file.
// No select submits its form on change: choosing an option never changes the page (WCAG 3.2.2).
// Move focus to an error summary so screen-reader and keyboard users hear what went wrong.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
document.body && document.body.addEventListener("htmx:afterSwap", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
// When an htmx swap removed the focused control (a page button that is gone on the last page),
// keep the keyboard user in place: focus the region that was swapped (data-focus-after-swap).
document.body && document.body.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail.target;
  var active = document.activeElement;
  if (target && target.hasAttribute("data-focus-after-swap") && (!active || active === document.body)) {
    target.focus();
  }
});
