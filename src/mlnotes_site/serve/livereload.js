// Live reload for `mlnotes serve` (never part of a built site): the server injects this
// script into every page it serves, with the page's URL and version. Server-Sent Events:
//   reload  the page changed: reload it, keeping the scroll position
//   errors  the last rebuild found errors: show them in an overlay
//   ok      no errors (any more): remove the overlay
// Chromium allows 6 connections per host, so a hidden tab closes its stream and reopens
// it when shown again; the server then compares versions and sends `reload` if needed.
(function () {
  // the words come from the site's messages.js (the interface language); a page without it
  // (mlnotes' own crash page) gets these English ones
  var ENGLISH = { "serve.errors": "mlnotes: {n} error(s) in the last rebuild", "serve.close": "Close" };
  function t(key, values) {
    if (window.mlnT) return window.mlnT(key, values);
    return (ENGLISH[key] || key).replace("{n}", values && values.n !== undefined ? values.n : "");
  }
  var script = document.currentScript;
  var page = script.getAttribute("data-page") || location.pathname;
  var version = script.getAttribute("data-version") || "";
  var SCROLL_KEY = "mlnotes-scroll:" + location.pathname + location.search;
  var OVERLAY_ID = "mlnotes-overlay";
  var source = null;
  var reloading = false;
  var dismissed = "";

  // -- scroll position across reloads ------------------------------------------------
  function restoreScroll() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null"); } catch (e) { saved = null; }
    if (!saved) return;
    window.scrollTo(saved.x, saved.y);
    // again once images and fonts have their size, then hand scrolling back to the browser
    window.addEventListener("load", function () {
      window.scrollTo(saved.x, saved.y);
      try { sessionStorage.removeItem(SCROLL_KEY); } catch (e) { /* storage may be disabled */ }
      if ("scrollRestoration" in history) history.scrollRestoration = "auto";
    });
  }

  function reload() {
    if (reloading) return;
    reloading = true;
    try {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
      if ("scrollRestoration" in history) history.scrollRestoration = "manual";  // restoreScroll does it
    } catch (e) { /* storage disabled: the browser's own restoration is all there is */ }
    location.reload();
  }

  // -- the error overlay -------------------------------------------------------------
  function element(tag, style, text) {
    var el = document.createElement(tag);
    el.style.cssText = style;
    if (text) el.textContent = text;
    return el;
  }

  function hideErrors() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  function showErrors(errors) {
    var key = JSON.stringify(errors);
    hideErrors();
    if (key === dismissed) return;
    // fixed colours with strong contrast, the same in the light and the dark theme
    var box = element("div", "position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:70vh;overflow:auto;" +
      "box-sizing:border-box;padding:16px 56px 16px 20px;background:#2a171c;color:#f6f4f5;" +
      "border-bottom:4px solid #e5484d;box-shadow:0 6px 24px rgba(0,0,0,.45);" +
      "font:14px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;text-align:left");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.appendChild(element("strong", "display:block;margin-bottom:8px;font-size:15px;color:#ff9592",
      t("serve.errors", { n: errors.length })));
    var list = element("ul", "margin:0;padding:0;list-style:none");
    errors.forEach(function (e) {
      var item = element("li", "margin:0 0 10px");
      item.appendChild(element("code", "font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;color:#ffd1cf",
        e.line ? e.path + ":" + e.line : e.path));
      item.appendChild(element("div", "white-space:pre-wrap;overflow-wrap:anywhere", e.message));
      if (e.hint) item.appendChild(element("div", "color:#c8c7d0;font-size:13px", e.hint));
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = element("button", "position:absolute;top:10px;right:12px;width:32px;height:32px;border:1px solid #5b5a66;" +
      "border-radius:6px;background:#2b2a33;color:#f4f4f6;font-size:18px;line-height:1;cursor:pointer", "×");
    close.type = "button";
    close.setAttribute("aria-label", t("serve.close"));
    close.addEventListener("click", function () { dismissed = key; hideErrors(); });
    box.appendChild(close);
    document.body.appendChild(box);
  }

  // -- the event stream --------------------------------------------------------------
  function connect() {
    if (source || reloading) return;
    source = new EventSource("/__mlnotes/events?page=" + encodeURIComponent(page) + "&v=" + encodeURIComponent(version));
    source.addEventListener("reload", reload);
    source.addEventListener("errors", function (e) { showErrors(JSON.parse(e.data)); });
    source.addEventListener("ok", function () { dismissed = ""; hideErrors(); });
  }

  function disconnect() {
    if (source) source.close();
    source = null;
  }

  restoreScroll();
  document.addEventListener("visibilitychange", function () { if (document.hidden) disconnect(); else connect(); });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function () { if (!document.hidden) connect(); });
  if (!document.hidden) connect();
})();
