// Light/dark theme: follows the system (prefers-color-scheme) until the reader picks one
// with the toggle; the choice is remembered in localStorage. Runs in <head> to avoid a flash.
(function () {
  var KEY = "mlnotes-theme";
  var root = document.documentElement;
  root.classList.add("js");  // style.css: the phone's menu button and panel need scripts (static/sidebar.js)
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { /* storage may be disabled */ }
  if (saved === "light" || saved === "dark") root.setAttribute("data-theme", saved);

  function current() {
    var explicit = root.getAttribute("data-theme");
    if (explicit) return explicit;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    button.setAttribute("aria-pressed", current() === "dark" ? "true" : "false");
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      button.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
      try { localStorage.setItem(KEY, next); } catch (e) { /* ignore */ }
    });
  });
})();
