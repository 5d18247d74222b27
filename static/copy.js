// A copy button on every code block. Uses navigator.clipboard where allowed (https or
// localhost); elsewhere falls back to selecting the text and execCommand("copy"), and if
// that fails too, leaves the code selected so the reader can press Ctrl+C.
(function () {
  // the interface's words (static/messages.js, made from the message catalogue)
  function t(key, values) { return window.mlnT ? window.mlnT(key, values) : key; }
  function fallback(code) {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    if (ok) selection.removeAllRanges();
    return ok;
  }

  function show(button, text) {
    button.textContent = text;
    clearTimeout(button._reset);
    button._reset = setTimeout(function () { button.textContent = t("copy.button"); }, 1500);
  }

  function copy(button, code) {
    var text = code.innerText;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { show(button, t("copy.copied")); },
        function () { show(button, fallback(code) ? t("copy.copied") : t("copy.press")); }
      );
    } else {
      show(button, fallback(code) ? t("copy.copied") : t("copy.press"));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var blocks = document.querySelectorAll(".code-block");
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      var code = block.querySelector("code");
      if (!code) continue;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = t("copy.button");
      button.setAttribute("aria-label", t("copy.label"));
      button.addEventListener("click", copy.bind(null, button, code));
      block.appendChild(button);
    }
  });
})();
