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

  // Conditional questions (data-reveal: the condition as JSON, nexi/conditions.py as_data): shown
  // only while it holds for the answers on the page. Without JavaScript every question stays
  // visible and the server ignores the answer of one that does not apply.
  function answersOf(form, name) {
    var given = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (field) {
      if (field.closest(".question.is-hidden")) { return; }  // a hidden question has no answer
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) { given.push(field.value); }
      } else if (field.value.trim() !== "") {
        given.push(field.value);
      }
    });
    return given;  // a checkbox group gives every ticked value
  }
  function holds(form, condition) {
    if ("const" in condition) { return condition["const"]; }
    if (condition.all) { return condition.all.every(function (part) { return holds(form, part); }); }
    if (condition.not) { return !holds(form, condition.not); }
    var given = answersOf(form, condition.field);
    if (!condition.values.length) { return given.length > 0; }
    return given.some(function (value) { return condition.values.indexOf(value) >= 0; });
  }
  function reveal(form) {
    for (var pass = 0; pass < 3; pass++) {  // conditions may be chained
      form.querySelectorAll("[data-reveal]").forEach(function (question) {
        var condition;
        try { condition = JSON.parse(question.getAttribute("data-reveal")); } catch (e) { return; }
        question.classList.toggle("is-hidden", !holds(form, condition));
      });
    }
    // a headed group whose questions are all hidden goes too (its heading would stand alone)
    form.querySelectorAll(".form-section").forEach(function (section) {
      var questions = section.querySelectorAll(".question");
      var shown = section.querySelectorAll(".question:not(.is-hidden)");
      section.classList.toggle("is-hidden", questions.length > 0 && shown.length === 0);
    });
  }
  // Upload progress (DOMAIN.md §12): a form that htmx sends with files gets a <progress> bar,
  // shown while the files go up and moved by htmx's upload progress events (htmx:xhr:progress,
  // fired on the form). Without JavaScript the form posts as usual and the browser shows its own.
  var progressCount = 0;
  function addUploadProgress(form) {
    if (!form.hasAttribute("data-hx-encoding") || !form.querySelector("input[type=file]")) { return; }
    if (form.querySelector(".upload-progress")) { return; }
    progressCount += 1;
    var id = "upload-progress-" + progressCount;
    var box = document.createElement("div");
    box.className = "upload-progress";
    box.hidden = true;
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "ファイルを送信しています";
    var bar = document.createElement("progress");
    bar.id = id;
    bar.max = 100;
    bar.value = 0;
    box.appendChild(label);
    box.appendChild(bar);
    var buttons = form.querySelectorAll(".button-row");
    var before = buttons.length ? buttons[buttons.length - 1] : null;
    form.insertBefore(box, before);
  }
  function uploadProgressOf(event) {
    var form = event.target && event.target.closest ? event.target.closest("form") : null;
    return form ? form.querySelector(".upload-progress") : null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var box = uploadProgressOf(event);
    if (!box) { return; }
    var inputs = box.closest("form").querySelectorAll("input[type=file]");
    var sending = Array.prototype.some.call(inputs, function (input) { return input.files && input.files.length > 0; });
    box.querySelector("progress").value = 0;
    box.hidden = !sending;
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    var box = uploadProgressOf(event);
    if (!box || box.hidden || !event.detail.lengthComputable || !event.detail.total) { return; }
    var bar = box.querySelector("progress");
    // the upload's events come first, then the response's: the bar only ever moves forward
    bar.value = Math.max(bar.value, Math.round(event.detail.loaded / event.detail.total * 100));
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = uploadProgressOf(event);
    if (box) { box.hidden = true; }
  });

  function enhanceForms(root) {
    var forms = Array.prototype.slice.call(root.querySelectorAll("form"));
    if (root.matches && root.matches("form")) { forms.push(root); }
    forms.forEach(function (form) {
      if (form.querySelector("[data-reveal]")) { reveal(form); }
      addUploadProgress(form);
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.querySelector("[data-reveal]")) { reveal(form); }
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
