// The lab form: when a row's unit changes, refill its limits from the hospital's reference
// ranges, unless the nurse has typed her own. Without this script she types them.
(function () {
  "use strict";
  var form = document.getElementById("lab-form");
  if (!form) { return; }
  var ranges = JSON.parse(form.getAttribute("data-ranges") || "{}");
  form.querySelectorAll("tr[data-test]").forEach(function (row) {
    var test = row.getAttribute("data-test");
    var unit = row.querySelector("select[name='" + test + "-unit']");
    if (!unit) { return; }
    var previous = ranges[test + "|" + unit.value] || {};
    unit.addEventListener("change", function () {
      var range = ranges[test + "|" + unit.value] || {};
      ["lln", "uln"].forEach(function (limit) {
        var input = row.querySelector("input[name='" + test + "-" + limit + "']");
        if (input && (input.value === "" || input.value === (previous[limit] || ""))) {
          input.value = range[limit] || "";
        }
      });
      previous = range;
    });
  });
})();
