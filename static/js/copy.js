// "Kopieren" buttons: <p class="copy" hidden><button data-copy="ID" data-done=".." data-failed="..">
// <span class="copy-done" role="status"></span></p> beside the element ID whose text is copied.
// Without this script the buttons stay hidden and the text can still be selected and copied by hand.
(function () {
  "use strict";

  // The whole point of these texts is pasting them (into WhatsApp, a website, a note) on the same phone,
  // where selecting a long text by hand is fiddly.
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-done");
    if (!source || !navigator.clipboard) return; // no clipboard (e.g. plain http): keep it hidden
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.tagName === "INPUT" ? source.value : source.textContent).then(function () {
        // The status element is a live region: screen readers announce the confirmation.
        status.textContent = button.getAttribute("data-done");
      }, function () {
        status.textContent = button.getAttribute("data-failed");
      });
    });
  });
})();
