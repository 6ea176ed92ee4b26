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

  // Conditional questions (data-reveal-field / data-reveal-values): shown only when the answer
  // they depend on is chosen. Without JavaScript every question stays visible.
  function answerOf(form, name) {
    var fields = form.querySelectorAll("[name='" + name + "']");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.closest(".question.is-hidden")) { continue; }  // a hidden question has no answer
      if ((field.type === "radio" || field.type === "checkbox")) {
        if (field.checked) { return field.value; }
      } else if (field.value) {
        return field.value;
      }
    }
    return "";
  }
  function reveal(form) {
    for (var pass = 0; pass < 3; pass++) {  // conditions may be chained
      form.querySelectorAll("[data-reveal-field]").forEach(function (question) {
        var values = question.getAttribute("data-reveal-values").split(" ").filter(Boolean);
        var answer = answerOf(form, question.getAttribute("data-reveal-field"));
        var shown = values.length ? values.indexOf(answer) >= 0 : answer !== "";
        question.classList.toggle("is-hidden", !shown);
      });
    }
  }
  function enhanceForms(root) {
    var forms = Array.prototype.slice.call(root.querySelectorAll("form"));
    if (root.matches && root.matches("form")) { forms.push(root); }
    forms.forEach(function (form) {
      if (form.querySelector("[data-reveal-field]")) { reveal(form); }
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.querySelector("[data-reveal-field]")) { reveal(form); }
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); enhanceForms(document); });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
    enhanceForms(event.target);
  });

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
