// Small behaviours that need no build step and no inline script.
(function () {
  "use strict";

  function wireCounter(field) {
    var output = document.getElementById(field.dataset.counter);
    if (!output) return;
    var limit = parseInt(field.getAttribute("maxlength"), 10) || 1000;
    function update() {
      var used = field.value.trim().length;
      output.textContent = used.toLocaleString("en") + " / " + limit.toLocaleString("en") +
        " characters";
      output.classList.toggle("counter--over", used > limit);
    }
    field.addEventListener("input", update);
    update();
  }

  // A second click while the first submission travels changes nothing on the
  // server (the form's key makes it a duplicate), but disabling says so.
  function wireSubmitOnce(form) {
    form.addEventListener("submit", function () {
      var buttons = form.querySelectorAll("button[type=submit]");
      window.setTimeout(function () {
        buttons.forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
      }, 0);
    });
  }

  function init(root) {
    root.querySelectorAll("[data-counter]").forEach(wireCounter);
    root.querySelectorAll("form[data-submit-once]").forEach(wireSubmitOnce);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
