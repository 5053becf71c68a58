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

  form.querySelectorAll(".no-js-hint").forEach(function (hint) { hint.hidden = true; });
  form.querySelectorAll(".symptom-card").forEach(function (card) {
    var toggle = card.querySelector(".symptom-toggle");
    if (!toggle) { return; }
    toggle.setAttribute("aria-controls", questionsOf(card).id);
    show(card, toggle.checked);
    toggle.addEventListener("change", function () { show(card, toggle.checked); });
  });

  // A double tap must not send the same report twice. The buttons are not disabled (a
  // disabled button would not send its name, and "I feel well today" needs it).
  var sent = false;
  form.addEventListener("submit", function (event) {
    if (sent) { event.preventDefault(); return; }
    sent = true;
  });
})();
