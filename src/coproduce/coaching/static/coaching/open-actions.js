// On the coaching session form, show only the open actions of the place chosen.
// Without JavaScript every place's open actions are shown under its own heading.
(function () {
  "use strict";
  var select = document.getElementById("id_place");
  var groups = document.querySelectorAll(".app-open-actions");
  if (!select || !groups.length) {
    return;
  }
  function show() {
    groups.forEach(function (group) {
      group.hidden = group.getAttribute("data-place") !== select.value;
    });
  }
  select.addEventListener("change", show);
  show();
})();
