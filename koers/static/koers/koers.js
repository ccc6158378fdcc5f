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
