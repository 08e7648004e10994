// The accent colour: <input type="color" data-colour-for="ID"> inside a hidden <span class="colour-pick">,
// beside the hex text input ID. The picker shows the colour as a swatch and writes its value into the text
// input; typing a hex value moves the picker along. Without this script the picker stays hidden and the
// hex field works on its own. The server checks the colour either way.
(function () {
  "use strict";

  var HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

  function sixDigits(value) {
    var match = HEX.exec(value.trim());
    if (!match) return null;
    var digits = match[1].length === 3 ? match[1].replace(/./g, "$&$&") : match[1];
    return "#" + digits.toLowerCase();
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[type=color][data-colour-for]"), function (picker) {
    var text = document.getElementById(picker.getAttribute("data-colour-for"));
    // A browser without a colour picker turns the input into a text field: nothing gained, keep it hidden.
    if (!text || picker.type !== "color") return;
    var shown = sixDigits(text.value);
    if (shown) picker.value = shown;
    picker.parentNode.hidden = false;
    picker.addEventListener("input", function () {
      text.value = picker.value;
    });
    text.addEventListener("input", function () {
      var typed = sixDigits(text.value);
      if (typed) picker.value = typed;
    });
  });
})();
