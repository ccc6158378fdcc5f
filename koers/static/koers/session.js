// The idle timeout told in advance (WCAG 2.2.1; koers/accounts/session_time.py). Every signed-in
// page has the dialog #session-ending. Shortly before the session would end, ask the server how
// long is really left (another tab may have kept it going; asking does not count as activity).
// Someone who typed or clicked in the last minutes is kept signed in without a question; anyone
// else is asked, with one button. When it has ended, say so: what was typed is still on the page.
(function () {
  var dialog = document.getElementById("session-ending");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var age = Number(dialog.dataset.age), refresh = Number(dialog.dataset.refresh), warn = Number(dialog.dataset.warn);
  var RECENT = 5 * 60 * 1000; // input this recent means someone is here
  var lastInput = 0, timer = null, ended = false;

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  // The server's end moved at most `refresh` seconds before a request we saw: count from there.
  function plan(secondsLeft) {
    clearTimeout(timer);
    if (ended) { return; }
    timer = setTimeout(check, Math.max(1, secondsLeft - warn) * 1000);
  }
  function later() { // no answer (no connection): ask again in half a minute
    clearTimeout(timer);
    if (!ended) { timer = setTimeout(check, 30 * 1000); }
  }
  function ask(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", headers: { "Accept": "application/json" } }, options))
      .then(function (response) { return response.ok ? response.json() : { seconds_left: 0 }; })
      .then(function (answer) { return Number(answer.seconds_left) || 0; });
  }
  function show(state) {
    dialog.querySelectorAll("[data-session-state]").forEach(function (part) {
      part.hidden = part.getAttribute("data-session-state") !== state;
    });
    if (!dialog.open) { dialog.showModal(); }
    var focus = state === "warning" ? dialog.querySelector("[data-session-extend]") : dialog.querySelector('[data-session-state="ended"] [data-session-title]');
    if (focus) { focus.focus(); }
  }
  function end() {
    ended = true;
    clearTimeout(timer);
    var login = dialog.querySelector("[data-session-login]");
    login.href = dialog.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname + location.search);
    show("ended");
  }
  function extend() {
    return ask(dialog.dataset.extendUrl, { method: "POST", headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() } })
      .then(function (left) {
        if (left <= 0) { end(); return; }
        if (dialog.open) { dialog.close(); }
        plan(left);
      }, later);
  }
  function check() {
    ask(dialog.dataset.statusUrl).then(function (left) {
      if (left <= 0) { end(); }
      else if (left > warn) { if (dialog.open) { dialog.close(); } plan(left); } // kept going elsewhere
      else if (Date.now() - lastInput < RECENT) { extend(); }
      else {
        if (!dialog.open) { show("warning"); }
        timer = setTimeout(check, left * 1000 + 1000);
      }
    }, later);
  }
  ["keydown", "input", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (!dialog.contains(event.target)) { lastInput = Date.now(); }
    }, true);
  });
  dialog.querySelector("[data-session-extend]").addEventListener("click", extend);
  dialog.querySelector("[data-session-close]").addEventListener("click", function () { dialog.close(); });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 401 && xhr.getResponseHeader("X-Koers-Signed-Out")) { end(); }
    else if (xhr && xhr.status > 0) { plan(age - refresh); }
  });
  plan(age - refresh);
})();
