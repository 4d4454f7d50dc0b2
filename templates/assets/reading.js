// Reading mode (长者模式): larger text, higher contrast, wider line spacing. The choice is kept in
// localStorage and applied in <head> before the first paint (reading-early.js); this wires the button.
(function () {
  var KEY = "dc-reading";
  var root = document.documentElement;
  var buttons = document.querySelectorAll("[data-dc-reading]");
  function show(on) {
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); });
  }
  buttons.forEach(function (b) {
    b.hidden = false; // without scripts the button could do nothing, so it starts hidden
    b.addEventListener("click", function () {
      var on = !root.classList.contains("dc-reading");
      root.classList.toggle("dc-reading", on);
      show(on);
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
    });
  });
  show(root.classList.contains("dc-reading"));
})();
