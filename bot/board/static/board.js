// Keeps the board current without reloading (the server sends the new board when something changes), and
// shows whole goals and praise only: goals that do not fit the side are counted in "+ N more" instead of
// being cut, praise that does not fit is left out (the latest is shown first).
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) {
    return;
  }

  // Hide the section's last items until it no longer overflows; keep the first whatever happens: a cut
  // item still says more than nothing. `hidden(n)` is told how many were hidden each time.
  function fit(section, selector, hidden) {
    var items = section.querySelectorAll(selector);
    items.forEach(function (item) {
      item.hidden = false;
    });
    for (var last = items.length - 1; last > 0 && section.scrollHeight > section.clientHeight; last--) {
      items[last].hidden = true;
      hidden(items.length - last, items[items.length - 1]);
    }
  }

  function fitGoals() {
    var section = board.querySelector(".side .goals");
    if (!section) {
      return;
    }
    var texts = JSON.parse(section.getAttribute("data-more") || "[]");
    var beyond = parseInt(section.getAttribute("data-beyond") || "0", 10);
    var more = section.querySelector(".more");
    if (more && beyond > 0) {
      more.textContent = texts[beyond - 1] || "";
    } else if (more) {
      more.remove(); // ours, from a smaller window: everything fits again, perhaps
      more = null;
    }
    fit(section, ".goal", function (count, lastGoal) {
      if (!more) {
        more = document.createElement("p");
        more.className = "more";
        lastGoal.after(more);
      }
      more.textContent = texts[count + beyond - 1] || "";
    });
  }

  // The latest praise whole, however long: the goals give way to it (and are counted), then the praise
  // takes what they leave.
  function fitSide() {
    var praise = board.querySelector(".side .praise");
    var latest = praise && praise.querySelector("blockquote");
    if (latest) {
      praise.querySelectorAll("blockquote").forEach(function (given) {
        given.hidden = false;
      });
      var style = getComputedStyle(praise);
      var below = parseFloat(style.paddingBottom) + parseFloat(style.borderBottomWidth);
      var needed = latest.getBoundingClientRect().bottom - praise.getBoundingClientRect().top + below;
      praise.style.minHeight = Math.ceil(needed) + "px";
    }
    fitGoals();
    if (praise) {
      fit(praise, "blockquote", function () {});
    }
  }

  fitSide();
  window.addEventListener("load", fitSide); // once fonts and the emoji have their final size
  window.addEventListener("resize", fitSide);
  if (!window.EventSource) {
    return;
  }
  var events = new EventSource(board.getAttribute("data-events"));
  events.addEventListener("board", function (event) {
    board.innerHTML = event.data;
    fitSide();
  });
  events.addEventListener("gone", function (event) {
    board.innerHTML = event.data;
    events.close();
  });
})();
