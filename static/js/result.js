// Helps on the result page. Without this script nothing is lost: every finding opens in place
// (native <details>).
(function () {
  "use strict";

  // A link to a finding (from "Ihre nächsten Schritte" or shared by someone) opens it.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Printing shows every finding in full, then the page returns to how the reader left it.
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details.finding"), function (d) {
      return !d.open;
    });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });
})();
