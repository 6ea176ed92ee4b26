/* NEXI Webサービス: the few behaviours that need JavaScript. A static file, so the
   Content-Security-Policy can forbid inline code. Everything here is an enhancement: the
   portal works fully without it. */
(function () {
  "use strict";

  function enhance(root) {
    // 画面印刷: the button exists only where it can work; otherwise the note stays.
    root.querySelectorAll(".js-print").forEach(function (button) { button.hidden = false; });
    root.querySelectorAll(".js-print-note").forEach(function (note) { note.hidden = true; });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });

  document.addEventListener("click", function (event) {
    if (event.target.closest(".js-print")) {
      window.print();
    }
  });

  // One help popup at a time; Escape closes it and returns focus to its 「？」.
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches("details.help") || !opened.open) { return; }
    document.querySelectorAll("details.help[open]").forEach(function (other) {
      if (other !== opened) { other.open = false; }
    });
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details.help[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });

  // A page restored from the back/forward cache shows an old screen: ask the server for the
  // current one instead (the server explains what happened).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.body.classList.contains("app")) {
      window.location.reload();
    }
  });
})();
