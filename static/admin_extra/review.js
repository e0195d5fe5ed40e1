/* Review queue keys: j/k move, v verify, r reject, l link to a provision (where offered), x select, o open.
   Each key only drives the page's own action form, which works the same without this script. */
(function () {
  "use strict";

  var form = document.getElementById("changelist-form");
  if (!form) {
    return;
  }
  var rows = Array.prototype.slice.call(form.querySelectorAll("#result_list tbody tr"));
  if (!rows.length) {
    return;
  }
  var STORE = "archive-review-row";
  var current = 0;
  try {
    current = parseInt(window.sessionStorage.getItem(STORE) || "0", 10) || 0;
  } catch (e) {
    current = 0;
  }

  function checkbox(row) {
    return row.querySelector("input.action-select");
  }

  function move(index) {
    rows[current].classList.remove("archive-current");
    current = Math.max(0, Math.min(rows.length - 1, index));
    var row = rows[current];
    row.classList.add("archive-current");
    row.setAttribute("aria-current", "true");
    row.scrollIntoView({ block: "nearest" });
    try {
      window.sessionStorage.setItem(STORE, String(current));
    } catch (e) {
      /* storage may be disabled; the position is then not kept across reloads */
    }
  }

  function run(action) {
    var select = form.querySelector("select[name=action]");
    var go = form.querySelector("button[name=index]");
    if (!select || !go) {
      return;
    }
    rows.forEach(function (row) {
      var box = checkbox(row);
      if (box) {
        box.checked = false;
      }
    });
    var box = checkbox(rows[current]);
    if (!box) {
      return;
    }
    box.checked = true;
    select.value = action;
    go.click();
  }

  rows.forEach(function (row, index) {
    row.addEventListener("click", function () {
      move(index);
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName) && target.type !== "checkbox") {
      return;
    }
    var key = event.key;
    if (key === "j") {
      move(current + 1);
    } else if (key === "k") {
      move(current - 1);
    } else if (key === "v") {
      run("verify");
    } else if (key === "r") {
      run("reject");
    } else if (key === "l" && form.querySelector("select[name=action] option[value=link_to_provision]")) {
      run("link_to_provision");
    } else if (key === "x") {
      var box = checkbox(rows[current]);
      if (box) {
        box.click();
      }
    } else if (key === "o") {
      var link = rows[current].querySelector("a.archive-open");
      if (link) {
        window.location.href = link.href;
      }
    } else {
      return;
    }
    event.preventDefault();
  });

  move(current);
})();
