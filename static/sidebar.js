// The sidebar beside the text: the explorer (folders → notes → the current note's topics) and
// the table of contents. On a phone it is a panel behind the header's menu button.
//
// The page itself holds the path to its own note (folders, the note, its topics: the
// navigation without JavaScript). The whole tree comes from one data file, <root>explorer.js
// (`window.mlnotesExplorer`: folders, and notes as [folder index, URL, title] in vault order),
// loaded by a <script> tag once the page's text has been painted (on a phone, when the panel
// first opens): cached by the browser and working from file://. Only open folders are drawn.
// Folders opened or closed by the reader stay so (localStorage); others are open when they
// hold the current note. Interface text lives in the template (base.html), not here.
(function () {
  "use strict";
  var KEY = "mlnotes-explorer";
  var nav = document.getElementById("explorer");
  var sidebar = document.getElementById("sidebar");
  var button = document.getElementById("menu-button");
  if (!nav || !sidebar) return;
  var tree = nav.querySelector(".explorer-tree");
  var phone = window.matchMedia ? window.matchMedia("(max-width: 48rem)") : { matches: false };
  var root = nav.getAttribute("data-root") || "./";
  var inline = tree.querySelector(".explorer-note");  // this page's note, drawn by the page
  var currentNote = inline ? inline.getAttribute("data-note") : null;
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { saved = {}; }

  function remember(path, open) {
    saved[path] = open;
    try { localStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* storage may be disabled */ }
  }

  function href(url) {
    var target = url.split("#");
    var path = target[0].slice(1);
    if (location.protocol === "file:" && (path === "" || /\/$/.test(path))) path += "index.html";
    return root + path + (target.length > 1 ? "#" + target.slice(1).join("#") : "");
  }

  // -- the tree ------------------------------------------------------------------------------
  var data = null;  // {folders, notes, sub: folder -> subfolders, own: folder -> notes, count}
  var onPath = {};  // folder path -> true when it holds the current note

  function index(raw) {
    var n = raw.folders.length, sub = [], own = [], count = [], at = {};
    for (var i = 0; i < n; i++) { sub.push([]); own.push([]); count.push(0); at[raw.folders[i]] = i; }
    var parent = raw.folders.map(function (f) {
      return f === "" ? -1 : at[f.lastIndexOf("/") < 0 ? "" : f.slice(0, f.lastIndexOf("/"))];
    });
    for (i = 1; i < n; i++) if (parent[i] >= 0) sub[parent[i]].push(i);
    raw.notes.forEach(function (note) {
      own[note[0]].push(note);
      for (var f = note[0]; f >= 0; f = parent[f]) count[f]++;
    });
    return { folders: raw.folders, sub: sub, own: own, count: count };
  }

  function folderItem(i) {
    var path = data.folders[i];
    var li = document.createElement("li");
    li.className = "explorer-folder" + (onPath[path] ? " on-path" : "");
    var details = document.createElement("details");
    details.setAttribute("data-folder", path);
    var summary = document.createElement("summary");
    summary.appendChild(document.createTextNode(path.slice(path.lastIndexOf("/") + 1)));
    var count = document.createElement("span");
    count.className = "explorer-count";
    count.textContent = String(data.count[i]);
    summary.appendChild(count);
    details.appendChild(summary);
    var open = Object.prototype.hasOwnProperty.call(saved, path) ? saved[path] === true : !!onPath[path];
    if (open) {
      details.open = true;
      fillFolder(details, i);
    }
    li.appendChild(details);
    return li;
  }

  function noteItem(note) {
    if (note[1] === currentNote && inline) return inline;
    var li = document.createElement("li");
    li.className = "explorer-note";
    var a = document.createElement("a");
    a.href = href(note[1]);
    a.textContent = note[2];
    li.appendChild(a);
    return li;
  }

  // the children of folder `i` (subfolders first, then its notes in vault order) into `list`:
  // the first CHUNK now, the rest CHUNK a task, so a folder of 10,000 notes never holds up the page
  var CHUNK = 1000;
  var active = 0, focused = null, revealed = false;  // folders being drawn; focus to keep

  function fill(list, i) {
    var items = data.sub[i].map(function (j) { return [j]; }).concat(data.own[i]);
    var from = 0;
    active++;
    (function next() {
      var part = document.createDocumentFragment();
      var to = Math.min(items.length, from + CHUNK);
      for (; from < to; from++) {
        part.appendChild(items[from].length === 1 ? folderItem(items[from][0]) : noteItem(items[from]));
      }
      list.appendChild(part);  // (this page's note moves into the tree, focus and all: keep its focus)
      if (focused && tree.contains(focused)) {
        focused.focus({ preventScroll: true });
        focused = null;
      }
      if (from < items.length) setTimeout(next, 0);
      else if (--active === 0) done();
    })();
  }

  function fillFolder(details, i) {
    var list = document.createElement("ul");
    details.appendChild(list);
    details.setAttribute("data-filled", "");
    fill(list, i);
  }

  function done() {  // every chunk drawn: the tree is ready; show where this page is, once
    nav.setAttribute("data-ready", "");
    focused = null;
    if (!revealed) { revealed = true; reveal(); }
  }

  function draw(raw) {
    if (!raw || !raw.folders || !raw.notes || !raw.folders.length) return;
    data = index(raw);
    var ends = currentNote ? raw.notes.filter(function (n) { return n[1] === currentNote; }) : [];
    if (currentNote && !ends.length) return;  // an older tree (cached) without this note: keep the page's own
    if (ends.length) {
      for (var f = data.folders[ends[0][0]]; f; f = f.lastIndexOf("/") < 0 ? "" : f.slice(0, f.lastIndexOf("/"))) {
        onPath[f] = true;
      }
    }
    focused = tree.contains(document.activeElement) ? document.activeElement : null;
    tree.textContent = "";
    fill(tree, 0);
  }

  // an opened folder is drawn the first time it opens ("toggle" does not bubble: capture it)
  tree.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!data || !details.open || details.hasAttribute("data-filled")) return;
    var i = data.folders.indexOf(details.getAttribute("data-folder"));
    if (i >= 0) fillFolder(details, i);
  }, true);

  // the reader's own choices are remembered (a folder opened by default is not)
  tree.addEventListener("click", function (event) {
    var summary = event.target.closest ? event.target.closest("summary") : null;
    if (!summary || !tree.contains(summary)) return;
    var details = summary.parentNode;
    remember(details.getAttribute("data-folder"), !details.open);  // it toggles after the click
  });

  // restore the inline folders' remembered state before the tree arrives
  Array.prototype.forEach.call(tree.querySelectorAll("details[data-folder]"), function (details) {
    var path = details.getAttribute("data-folder");
    if (Object.prototype.hasOwnProperty.call(saved, path)) details.open = saved[path] === true;
    details.parentNode.classList.add("on-path");
  });

  // scroll the sidebar (never the page) so the current page, or its closed folder, is in view
  function reveal() {
    var target = nav.querySelector('a[aria-current="page"]');
    if (target && !target.getClientRects().length) target = null;
    if (!target) {  // the innermost folder on the path that shows (it is closed)
      var folders = nav.querySelectorAll(".on-path > details > summary");
      for (var i = 0; i < folders.length; i++) if (folders[i].getClientRects().length) target = folders[i];
    }
    if (!target) return;
    [nav, sidebar].forEach(function (box) {
      if (box.scrollHeight <= box.clientHeight + 1) return;
      var a = target.getBoundingClientRect(), b = box.getBoundingClientRect();
      if (a.top < b.top || a.bottom > b.bottom) box.scrollTop += a.top - b.top - b.height / 3;
    });
  }

  var requested = false;
  function load() {
    if (requested) return;
    requested = true;
    if (window.mlnotesExplorer) { draw(window.mlnotesExplorer); return; }
    var script = document.createElement("script");
    script.src = nav.getAttribute("data-src");
    script.onload = function () { draw(window.mlnotesExplorer); };
    document.head.appendChild(script);
  }

  // -- the phone's panel ---------------------------------------------------------------------
  function isOpen() { return sidebar.classList.contains("open"); }

  function focusables() {
    var found = sidebar.querySelectorAll("a[href], button, summary, input, select, textarea, [tabindex]");
    var list = [button];
    Array.prototype.forEach.call(found, function (el) {
      if (el.getAttribute("tabindex") !== "-1" && el.getClientRects().length) list.push(el);
    });
    return list;
  }

  function open() {
    sidebar.style.setProperty("--sidebar-top", document.querySelector(".site-header").getBoundingClientRect().bottom + "px");
    sidebar.classList.add("open");
    document.documentElement.classList.add("menu-open");
    button.setAttribute("aria-expanded", "true");
    load();
    reveal();
    var current = nav.querySelector('a[aria-current="page"]');
    var first = current && current.getClientRects().length ? current : focusables()[1];
    if (first) first.focus({ preventScroll: true });
  }

  function close(refocus) {
    if (!isOpen()) return;
    sidebar.classList.remove("open");
    document.documentElement.classList.remove("menu-open");
    button.setAttribute("aria-expanded", "false");
    if (refocus) button.focus();
  }

  if (button) {
    button.addEventListener("click", function () { if (isOpen()) close(true); else open(); });
    document.addEventListener("keydown", function (event) {
      if (!isOpen()) return;
      if (event.key === "Escape") {
        event.preventDefault();
        close(true);
      } else if (event.key === "Tab") {  // focus stays in the panel (and its button) while open
        var list = focusables();
        var at = list.indexOf(document.activeElement);
        var next = at < 0 ? 0 : (at + (event.shiftKey ? -1 : 1) + list.length) % list.length;
        event.preventDefault();
        list[next].focus();
      }
    });
    document.addEventListener("pointerdown", function (event) {
      if (isOpen() && !sidebar.contains(event.target) && !button.contains(event.target)) close(false);
    });
    sidebar.addEventListener("click", function (event) {  // a link (also one on this page) closes the panel
      if (isOpen() && event.target.closest && event.target.closest("a[href]")) close(false);
    });
    var wide = function () { if (!phone.matches) close(false); };
    if (phone.addEventListener) phone.addEventListener("change", wide);
  }

  // beside the text the tree is loaded once the page's text has been painted (it never delays
  // it), or 300 ms after the load event where paint timing is missing; on a phone, when asked for
  function afterFirstPaint(run) {
    var started = false, frames = 0;
    function go() { if (!started) { started = true; setTimeout(run, 0); } }
    (function check() {  // each frame: has the text been painted yet?
      if (performance.getEntriesByName && performance.getEntriesByName("first-contentful-paint").length) go();
      else if (++frames < 120) requestAnimationFrame(check);
    })();
    window.addEventListener("load", function () { setTimeout(go, 300); });
  }
  if (!phone.matches) {
    afterFirstPaint(load);
  } else if (phone.addEventListener) {
    phone.addEventListener("change", function () { if (!phone.matches) load(); });
  }
})();
