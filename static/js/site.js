// Behaviour shared by every page. A file, not inline handlers: the Content-Security-Policy
// allows scripts from our own origin only (README, "Security").
"use strict";
document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});

// A date box shows the date in the browser's own format, which may not be the reader's (an
// English-language phone shows mm/dd/yyyy to a Vietnamese reader). Under each one, the chosen
// date in words, in the page's language: "Thứ Hai, 30 tháng 11, 2026", "Monday 30 November 2026".
document.querySelectorAll('input[type="date"]').forEach((input) => {
  const words = document.createElement("div");
  words.className = "form-text date-in-words";
  words.setAttribute("aria-live", "polite");
  words.id = input.id ? input.id + "_in_words" : "";
  input.insertAdjacentElement("afterend", words);
  // English as the rest of the site writes dates: day first ("30 Nov 2026").
  const language = document.documentElement.lang || undefined;
  const format = new Intl.DateTimeFormat(language === "en" ? "en-GB" : language, {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  });
  const show = () => {
    // valueAsDate is midnight UTC of the chosen day: formatted in UTC, it is that day.
    words.textContent = input.value && input.valueAsDate ? format.format(input.valueAsDate) : "";
  };
  input.addEventListener("input", show);
  input.addEventListener("change", show);
  show();
});
