// Progressive disclosure for the report form: show a symptom's questions only once it is
// ticked. Without this script every question is visible and the form works the same; the
// server ignores the answers of symptoms that are not ticked.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }

  function questionsOf(card) {
    return card.querySelector(".symptom-questions");
  }

  function show(card, ticked) {
    var questions = questionsOf(card);
    if (!questions) { return; }
    questions.hidden = !ticked;
    card.classList.toggle("is-ticked", ticked);
    // Hidden answers are not sent: what is on the screen is what the nurse gets.
    questions.querySelectorAll("input, select, textarea").forEach(function (input) {
      input.disabled = !ticked;
    });
  }

  function syncAll() {
    form.querySelectorAll(".symptom-card").forEach(function (card) {
      var toggle = card.querySelector(".symptom-toggle");
      if (toggle) { show(card, toggle.checked); }
    });
  }

  form.querySelectorAll(".no-js-hint").forEach(function (hint) { hint.hidden = true; });
  form.querySelectorAll(".symptom-card").forEach(function (card) {
    var toggle = card.querySelector(".symptom-toggle");
    if (!toggle) { return; }
    toggle.setAttribute("aria-controls", questionsOf(card).id);
    toggle.addEventListener("change", function () { show(card, toggle.checked); });
  });
  syncAll();
  // After the back button the browser puts back the ticks it remembers, after this script
  // ran: show those symptoms' questions again, or their answers would silently not be sent.
  window.addEventListener("pageshow", syncAll);
  window.addEventListener("load", syncAll);

  // A link of the error summary also puts the keyboard in the question it points to.
  document.querySelectorAll("#form-errors a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function () {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      var input = target && target.querySelector("input:not([type=hidden]), select, textarea");
      if (input) { window.setTimeout(function () { input.focus(); }, 0); }
    });
  });

  // A double tap must not send the same report twice. The buttons are not disabled (a
  // disabled button would not send its name, and "I feel well today" needs it).
  var sent = false;
  form.addEventListener("submit", function (event) {
    if (sent) { event.preventDefault(); return; }
    sent = true;
  });
})();
