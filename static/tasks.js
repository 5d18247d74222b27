// TODO tracker: filters by status, text, topic and tag, kept in the URL, and the overdue
// list decided with today's date in the browser. Without JavaScript the full list shows
// (a paged tracker: every page by its pager links) and the filter form stays hidden.
//
// The filters are read from the query string and the hash (?status=open&q=rag or
// #status=open&q=rag). A one-page tracker writes them back to the hash, as it always did; a
// paged tracker (a nav.tracker-pager) writes them to the query string with
// history.replaceState, puts them on its pager links, and says that they filter this page.
// There the Topic filter lists every topic (window.mlnotesTaskTopics, /tasks/topics.js) and
// choosing one on another page opens that page, filters kept.
(function () {
  "use strict";
  // the interface's words (static/messages.js, made from the message catalogue)
  function t(key, values) { return window.mlnT ? window.mlnT(key, values) : key; }
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
      if (overdue) li.setAttribute("data-overdue", section.getAttribute("data-overdue-label") || "");
      if (overdue) late++;
    });
    var label = section.querySelector("[data-overdue-count]");
    if (label) label.textContent = late ? t("tracker.overdue", { n: late }) : "";
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
    var note = document.getElementById("task-filter-note");
    var pager = document.querySelector("nav.tracker-pager");
    var paged = !!pager;
    var current = pager ? Number(pager.getAttribute("data-page")) : 1;
    // page number -> its link (relative, as written), and every link to a page of the tracker
    var pageLinks = Array.prototype.slice.call(document.querySelectorAll("nav.tracker-pager a[data-page]"));
    var pageHref = {};
    pageLinks.forEach(function (a) {
      var href = a.getAttribute("href");
      if (location.protocol === "file:" && /\/$/.test(href)) href += "index.html"; // no folder index on file://
      a.setAttribute("href", href);
      a.setAttribute("data-href", href);
      pageHref[a.getAttribute("data-page")] = href;
    });
    var topicPage = {}; // topic URL -> the page showing it (a paged tracker)
    var here = {};
    groups.forEach(function (g) { here[g.getAttribute("data-topic")] = true; });

    function fillTopics() {
      var rows = window.mlnotesTaskTopics;
      var select = form.elements.topic;
      if (!paged || !rows || !select) return;
      var all = select.options[0];
      select.textContent = "";
      select.appendChild(all);
      rows.forEach(function (row) {
        topicPage[row[0]] = row[2];
        var o = document.createElement("option");
        o.value = row[0];
        o.textContent = row[2] === current ? row[1] : t("tracker.topic_page", { title: row[1], n: row[2] });
        select.appendChild(o);
      });
    }

    function value(name) { var el = form.elements[name]; return el ? el.value.trim() : ""; }

    function read() {
      var params = new URLSearchParams(window.location.search);
      new URLSearchParams(window.location.hash.slice(1)).forEach(function (v, k) { params.set(k, v); });
      KEYS.forEach(function (k) {
        var el = form.elements[k];
        if (!el) return;
        var v = params.get(k) || "";
        if (el.tagName === "SELECT" && v && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) v = "";
        el.value = v;
      });
    }

    function query() {
      var params = new URLSearchParams();
      KEYS.forEach(function (k) { if (value(k)) params.set(k, value(k)); });
      return params.toString();
    }

    function write() {
      var q = query();
      var url;
      if (paged) {
        // the filters go to the query string (other parameters stay), a filter hash goes away
        var params = new URLSearchParams(window.location.search);
        KEYS.forEach(function (k) { params.delete(k); });
        new URLSearchParams(q).forEach(function (v, k) { params.set(k, v); });
        var search = params.toString();
        var hash = window.location.hash;
        if (hash && KEYS.some(function (k) { return new URLSearchParams(hash.slice(1)).has(k); })) hash = "";
        url = window.location.pathname + (search ? "?" + search : "") + hash;
        pageLinks.forEach(function (a) { a.setAttribute("href", a.getAttribute("data-href") + (q ? "?" + q : "")); });
      } else {
        url = window.location.pathname + window.location.search + (q ? "#" + q : "");
      }
      if (url !== window.location.pathname + window.location.search + window.location.hash) history.replaceState(null, "", url);
    }

    // a topic shown on another page of the tracker: open that page with the filters
    var leaving = false; // a select fires "input" and "change": navigate once
    function elsewhere() {
      if (leaving) return true;
      var topic = value("topic");
      var k = topic && !here[topic] ? topicPage[topic] : 0;
      if (!k || k === current || !pageHref[k]) return false;
      var q = query();
      leaving = true;
      window.location.assign(pageHref[k] + (q ? "?" + q : ""));
      return true;
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
      count.textContent = t(paged ? "tracker.items_on_page" : "tracker.items", { n: shown });
      if (note) note.hidden = !(status || q || topic || tag);
      write();
    }

    function changed() { if (!elsewhere()) apply(); }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    window.addEventListener("hashchange", function () { read(); changed(); });
    fillTopics();
    read();
    if (!elsewhere()) apply();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
