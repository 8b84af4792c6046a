// Keeps the board current without reloading: the server sends the new board when something changes.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.EventSource) {
    return;
  }
  var events = new EventSource(board.getAttribute("data-events"));
  events.addEventListener("board", function (event) {
    board.innerHTML = event.data;
  });
  events.addEventListener("gone", function (event) {
    board.innerHTML = event.data;
    events.close();
  });
})();
