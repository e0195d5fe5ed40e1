// Enhancements only: every page works without this file.
(function () {
  "use strict";

  // A "Copy" button next to citations and permalinks, where the browser can copy.
  function addCopyButtons() {
    if (!navigator.clipboard || !window.isSecureContext) return;
    document.querySelectorAll(".copy-slot[data-copy-target]").forEach(function (slot) {
      var target = document.getElementById(slot.getAttribute("data-copy-target"));
      if (!target) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = slot.getAttribute("data-copy-label") || "Copy";
      var status = document.createElement("span");
      status.className = "copy-status";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.textContent.trim()).then(
          function () { status.textContent = "Copied to the clipboard."; },
          function () { status.textContent = "Could not copy: select the text and copy it instead."; }
        );
      });
      slot.appendChild(button);
      slot.appendChild(status);
    });
  }

  // Filter forms submit on change, and leave out empty fields so addresses stay short.
  function tidyFilterForms() {
    document.querySelectorAll("form.filters").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("select, input").forEach(function (field) {
          if (field.name && field.value === "") field.disabled = true;
        });
      });
    });
  }

  // Charts wider than a phone screen scroll sideways: start them at the right end, on the latest months.
  function scrollChartsToLatest() {
    document.querySelectorAll(".chart-scroll").forEach(function (box) {
      var end = box.scrollWidth - box.clientWidth;
      if (end > 0) box.scrollLeft = end;
    });
  }

  // Coming back to a page from the history cache: fields left out on submit are usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filters [disabled]").forEach(function (field) {
      field.disabled = false;
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    addCopyButtons();
    tidyFilterForms();
    scrollChartsToLatest();
  });
})();
