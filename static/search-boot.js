// The header's search box: loads static/search.js the first time search is used (focus on the
// box, "/" or Ctrl/⌘-K anywhere outside a text field), so pages that never search load nothing.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  if (!input) return;

  function editable(el) {
    if (!el || el === input) return false;
    var name = el.tagName;
    return name === "INPUT" || name === "TEXTAREA" || name === "SELECT" || el.isContentEditable;
  }

  var loading = false;
  function load() {
    if (loading || window.mlnSearch) return;
    loading = true;
    var script = document.createElement("script");
    script.src = input.getAttribute("data-script");
    document.head.appendChild(script);
  }

  input.addEventListener("focus", load);
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing) return;
    var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey;
    var k = (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey) && !event.altKey;
    if (!slash && !k) return;
    if (document.activeElement === input) {
      if (k) event.preventDefault();  // the browser's own Ctrl-K (search bar) stays out of the way
      return;
    }
    if (editable(event.target) || editable(document.activeElement)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
})();
