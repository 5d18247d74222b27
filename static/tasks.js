// TODO tracker: filters by status, text, topic and tag, kept in the URL hash
// (#status=open&q=rag), and the overdue list decided with today's date in the browser.
// Without JavaScript the full list shows and the filter form stays hidden.
(function () {
  "use strict";
  var KEYS = ["status", "q", "topic", "tag"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function markOverdue() {
    var now = new Date();
    var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    var section = document.querySelector("[data-due-section]");
    if (!section) return;
    var late = 0;
    section.querySelectorAll("li[data-due]").forEach(function (li) {
      var overdue = li.getAttribute("data-due") < today;
      li.classList.toggle("overdue", overdue);
      if (overdue) late++;
    });
    var label = section.querySelector("[data-overdue-count]");
    if (label) label.textContent = late ? late + " overdue" : "";
  }

  function init() {
    markOverdue();
    var form = document.getElementById("task-filters");
    var list = document.getElementById("task-list");
    if (!form || !list) return;
    form.hidden = false;
    var items = Array.prototype.slice.call(list.querySelectorAll("li.task-item"));
    var groups = Array.prototype.slice.call(list.querySelectorAll(".task-group"));
    var count = document.getElementById("task-count");

    function value(name) { var el = form.elements[name]; return el ? el.value.trim() : ""; }

    function readHash() {
      var params = new URLSearchParams(window.location.hash.slice(1));
      KEYS.forEach(function (k) {
        var el = form.elements[k];
        if (!el) return;
        var v = params.get(k) || "";
        if (el.tagName === "SELECT" && v && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) v = "";
        el.value = v;
      });
    }

    function writeHash() {
      var params = new URLSearchParams();
      KEYS.forEach(function (k) { if (value(k)) params.set(k, value(k)); });
      var hash = params.toString();
      var url = window.location.pathname + window.location.search + (hash ? "#" + hash : "");
      if (url !== window.location.pathname + window.location.search + window.location.hash) history.replaceState(null, "", url);
    }

    function apply() {
      var status = value("status"), q = value("q").toLowerCase(), topic = value("topic"), tag = value("tag");
      var shown = 0;
      items.forEach(function (li) {
        var d = li.dataset;
        var match = (!status || d.status === status) &&
          (!q || d.text.indexOf(q) !== -1) &&
          (!topic || d.topic === topic) &&
          (!tag || (" " + d.tags + " ").indexOf(" " + tag + " ") !== -1);
        li.classList.toggle("no-match", !match);
        if (match) shown++;
      });
      // an item stays (as context) while something below it matches; deepest items first
      for (var i = items.length - 1; i >= 0; i--) {
        var li = items[i];
        li.hidden = li.classList.contains("no-match") && !li.querySelector("li.task-item:not(.no-match)");
      }
      groups.forEach(function (g) { g.hidden = !g.querySelector("li.task-item:not(.no-match)"); });
      count.textContent = shown + (shown === 1 ? " item" : " items");
      writeHash();
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    window.addEventListener("hashchange", function () { readHash(); apply(); });
    readHash();
    apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
