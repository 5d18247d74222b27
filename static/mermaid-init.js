// Mermaid diagrams: this script and the vendored mermaid (static/vendor/mermaid/) are loaded only
// on pages that show a ```mermaid fence. Each <pre class="mermaid"> holds the diagram's source as
// text (what a reader without JavaScript sees); mermaid replaces it with an <svg>. securityLevel
// "strict" keeps the diagram's text from running script (labels are text, no click handlers).
// The diagram follows the theme: drawn again with mermaid's dark theme when the page turns dark.
(function () {
  "use strict";
  // the interface's words (static/messages.js, made from the message catalogue)
  function t(key, values) { return window.mlnT ? window.mlnT(key, values) : key; }
  var mermaid = window.mermaid;
  if (!mermaid) return;
  var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
  var sources = blocks.map(function (el) { return el.textContent; });
  var root = document.documentElement;
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var drawn = null; // the theme the diagrams were last drawn in

  function theme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "dark" || chosen === "light") return chosen;
    return system && system.matches ? "dark" : "light";
  }

  function draw() {
    var now = theme();
    if (now === drawn || !blocks.length) return;
    drawn = now;
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: now === "dark" ? "dark" : "default" });
    // a diagram that does not parse keeps showing its source (not mermaid's error picture),
    // marked and titled so; the others are drawn
    Promise.all(blocks.map(function (el, i) {
      return Promise.resolve(mermaid.parse(sources[i], { suppressErrors: true })).then(function (ok) {
        el.removeAttribute("data-processed");
        el.textContent = sources[i];
        if (ok) return el;
        el.classList.add("mermaid-error");
        el.title = t("mermaid.broken");
        return null;
      }, function () { return null; });
    })).then(function (nodes) {
      nodes = nodes.filter(Boolean);
      if (nodes.length) return mermaid.run({ nodes: nodes, suppressErrors: true });
    }).catch(function () { /* mermaid reports it in the console */ });
  }

  draw();
  if (window.MutationObserver) {
    new MutationObserver(draw).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  }
  if (system && system.addEventListener) system.addEventListener("change", draw);
})();
