// Small progressive enhancements. Every page works without this file.
// No select submits its form on change: choosing an option never changes the page (WCAG 3.2.2).
// Move focus to an error summary so screen-reader and keyboard users hear what went wrong.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
// After an htmx swap only once it settled: htmx makes the swapped form work then, so a key
// pressed on the focused summary's form is never sent as a plain page past htmx.
document.body && document.body.addEventListener("htmx:afterSettle", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
// A control that sends an htmx request and is swapped for a new one with the same id keeps the
// focus (htmx does this when the control still has focus at swap time). If the focus was lost
// while the request was under way, put it back on the control with that id once the swap settled.
var focusedBeforeRequest = null;
document.body && document.body.addEventListener("htmx:beforeRequest", function (event) {
  var active = document.activeElement;
  var elt = event.detail.elt;
  focusedBeforeRequest = (active && active.id && elt && elt.contains(active)) ? active.id : null;
});
document.body && document.body.addEventListener("htmx:afterSettle", function () {
  var active = document.activeElement;
  var id = focusedBeforeRequest;
  focusedBeforeRequest = null;
  if (id && (!active || active === document.body)) {
    var again = document.getElementById(id);
    if (again) { again.focus(); }
  }
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
// The caseload's sort buttons submit its search form. The form's requests queue (hx-sync), so a
// click while a search is still loading is not dropped; but a queued request is sent after the
// results (and the clicked button) were swapped, so the click is also kept in #sort-pending
// until the next request of the form takes it along.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".sort-button");
  var pending = document.getElementById("sort-pending");
  if (button && pending) { pending.value = button.value; pending.disabled = false; }
});
document.body && document.body.addEventListener("htmx:configRequest", function (event) {
  var pending = document.getElementById("sort-pending");
  if (pending && event.detail.elt && event.detail.elt.id === "caseload-search") {
    pending.disabled = true;
    pending.value = "";
  }
});
// An htmx request that fails swaps nothing: without this, a button would simply do nothing and the
// person could not tell whether their change was stored. Say it by the form or link, as an alert
// (read out by a screen reader; the focus stays where it was). When the database is away, Koers's
// 503 page says whether the change was stored: its own short words are shown (its paragraphs marked
// data-short, from the page's section in the reader's language; as text, never as markup).
function htmxFailedId(detail) {
  var target = detail.target || detail.elt;
  return ((target && target.id) || (detail.elt && detail.elt.id) || "htmx") + "-failed";
}
function htmxTemplateText(id) {
  var template = document.getElementById(id);
  return template ? { text: template.content.textContent.trim() } : { text: "" };
}
function htmxUnavailableText(xhr) {
  var html = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
  var lang = (document.documentElement.lang || "nl").slice(0, 2);
  var section = html.querySelector('main section[lang="' + lang + '"]') || html.querySelector("main section[lang]");
  var heading = section && section.querySelector("h1, h2");
  var words = section ? Array.prototype.map.call(section.querySelectorAll("p[data-short]"), function (p) { return p.textContent.trim(); }) : [];
  if (!heading || !words.length) { return { text: "" }; }
  return { text: [heading.textContent.trim() + "."].concat(words).join(" "), lang: section.getAttribute("lang") };
}
function htmxSayFailed(detail, said) {
  var elt = detail.elt;
  if (!elt || !said.text) { return; }
  var id = htmxFailedId(detail);
  var old = document.getElementById(id);
  if (old) { old.remove(); }
  var message = document.createElement("p");
  message.id = id;
  message.className = "message message-error";
  message.setAttribute("role", "alert");
  message.textContent = said.text;
  if (said.lang) { message.lang = said.lang; }
  var form = elt.tagName === "FORM" ? elt : elt.closest("form");
  if (form) { form.appendChild(message); } else { elt.insertAdjacentElement("afterend", message); }
}
document.body && document.body.addEventListener("htmx:responseError", function (event) {
  var xhr = event.detail.xhr;
  // The session has ended: session.js says so in its dialog, with the way back.
  if (xhr && xhr.getResponseHeader("X-Koers-Signed-Out") && document.getElementById("session-ending")) { return; }
  var said = xhr && xhr.status === 503 ? htmxUnavailableText(xhr) : { text: "" };
  htmxSayFailed(event.detail, said.text ? said : htmxTemplateText("htmx-failed"));
});
document.body && document.body.addEventListener("htmx:sendError", function (event) {
  htmxSayFailed(event.detail, htmxTemplateText("htmx-no-answer"));
});
document.body && document.body.addEventListener("htmx:afterRequest", function (event) {
  if (event.detail.successful) {
    var old = document.getElementById(htmxFailedId(event.detail));
    if (old) { old.remove(); }
  }
});
// A form that is on its way is sent once. On a slow connection a second tap sent a plain form
// again, and Koers stored the goal, the entry or the message twice. After the first submit of a
// POST form (one that no other script took over, as htmx does: this listener on window runs last)
// further submits are ignored until the next page comes — or, should none come, for 20 seconds —
// and a status message by the form says that it is on its way.
var FORM_SENDING_MS = 20000;
window.addEventListener("submit", function (event) {
  var form = event.target;
  var submitter = event.submitter;
  if (event.defaultPrevented || !(form instanceof HTMLFormElement)) { return; }
  // Attributes, not form.method: a field named "method" would stand in for the property.
  var method = (submitter && submitter.getAttribute("formmethod")) || form.getAttribute("method") || "get";
  if (method.toLowerCase() !== "post") { return; }
  if (form.hasAttribute("data-sending")) { event.preventDefault(); return; }
  form.setAttribute("data-sending", "");
  var status = form.querySelector(".form-sending");
  if (!status) {
    status = document.createElement("p");
    status.className = "form-sending";
    status.setAttribute("role", "status");
    form.appendChild(status);
  }
  var text = htmxTemplateText("form-sending").text;
  setTimeout(function () { status.textContent = text; }, 50);  // a live region is read when it changes
  setTimeout(function () { form.removeAttribute("data-sending"); status.textContent = ""; }, FORM_SENDING_MS);
});
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) { return; }  // back to a page kept by the browser: its forms may be sent again
  Array.prototype.forEach.call(document.querySelectorAll("form[data-sending]"), function (form) {
    form.removeAttribute("data-sending");
  });
  Array.prototype.forEach.call(document.querySelectorAll(".form-sending"), function (status) { status.textContent = ""; });
});
