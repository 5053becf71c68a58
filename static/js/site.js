// Behaviour shared by every page. A file, not inline handlers: the Content-Security-Policy
// allows scripts from our own origin only (README, "Security").
"use strict";
document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
