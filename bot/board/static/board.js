// Keeps the board current without reloading (the server sends the new board when something changes), and
// shows whole goals only: those that do not fit the side are counted in "+ N more" instead of being cut.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) {
    return;
  }

  function fitGoals() {
    var section = board.querySelector(".side .goals");
    if (!section) {
      return;
    }
    var texts = JSON.parse(section.getAttribute("data-more") || "[]");
    var beyond = parseInt(section.getAttribute("data-beyond") || "0", 10);
    var goals = section.querySelectorAll(".goal");
    var more = section.querySelector(".more");
    var hidden = 0;
    goals.forEach(function (goal) {
      goal.hidden = false;
    });
    if (more && beyond > 0) {
      more.textContent = texts[beyond - 1] || "";
    } else if (more) {
      more.remove(); // ours, from a smaller window: everything fits again, perhaps
      more = null;
    }
    // Keep the first goal whatever happens: a cut goal still says more than "+ N more" alone.
    for (var last = goals.length - 1; last > 0 && section.scrollHeight > section.clientHeight; last--) {
      goals[last].hidden = true;
      hidden += 1;
      if (!more) {
        more = document.createElement("p");
        more.className = "more";
        goals[goals.length - 1].after(more);
      }
      more.textContent = texts[hidden + beyond - 1] || "";
    }
  }

  fitGoals();
  window.addEventListener("load", fitGoals); // once fonts and the emoji have their final size
  window.addEventListener("resize", fitGoals);
  if (!window.EventSource) {
    return;
  }
  var events = new EventSource(board.getAttribute("data-events"));
  events.addEventListener("board", function (event) {
    board.innerHTML = event.data;
    fitGoals();
  });
  events.addEventListener("gone", function (event) {
    board.innerHTML = event.data;
    events.close();
  });
})();
