// Two small helps for the check's forms. Without this script nothing is lost: the error summary is
// still announced as an alert, and the server asks a follow-up question after "Weiter" instead.
(function () {
  "use strict";

  // After a failed submit, the focus goes to the list of errors: a screen reader reads it out first,
  // and its links lead to each field.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Shows a follow-up question as soon as the answer it depends on is chosen.
  var boxes = Array.prototype.slice.call(document.querySelectorAll("fieldset[data-reveal-when]"));
  if (!boxes.length) return;

  function update() {
    // In page order, so a follow-up of a hidden follow-up hides too.
    boxes.forEach(function (box) {
      var rule = JSON.parse(box.getAttribute("data-reveal-when"));
      var checked = document.querySelector('input[name="' + rule.name + '"]:checked');
      var parent = checked && checked.closest("fieldset");
      box.hidden = !checked || (parent && parent.hidden) || rule.values.indexOf(checked.value) < 0;
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.type === "radio") update();
  });
  update();
})();
