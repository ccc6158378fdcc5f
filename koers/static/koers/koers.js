// Small progressive enhancements. Every page works without this file.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("select[data-autosubmit]")) { el.form.submit(); }
});
// Move focus to an error summary so screen-reader and keyboard users hear what went wrong.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
document.body && document.body.addEventListener("htmx:afterSwap", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
