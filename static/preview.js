// Link previews: hovering an internal link (a.internal) for ~300 ms shows the target page's
// title and first paragraph (or the section of the #heading it points at), as Quartz and
// Obsidian Publish do. Only with a fine pointer that can hover: on touch a tap just follows
// the link. The popup is position: fixed, so it never changes the document's layout.
(function () {
  "use strict";
  if (!window.matchMedia || !window.fetch || !window.DOMParser || !window.TextEncoder) return;
  if (!window.matchMedia("(hover: hover) and (pointer: fine)").matches) return;

  var DELAY = 300;
  var cache = {}; // page URL (no fragment) -> Promise of a Document or null
  var popup = null;
  var timer = 0;
  var current = null; // the link being previewed

  // A `file_urls` site opened from disk: the browser refuses fetch there, so a page's title
  // and summary come from /previews/<k>.js (emit/previews.py), loaded with a <script> tag;
  // k is a hash of the page's URL (its UTF-8 bytes), as emit/previews.py computes it.
  var html = document.documentElement;
  var fromDisk = location.protocol === "file:" && html.hasAttribute("data-file-urls");
  var shards = Number(html.getAttribute("data-previews")) || 1;
  var known = {}, loading = {};
  window.mlnPreviews = function (entries) { for (var k in entries) known[k] = entries[k]; };

  function siteRoot() {
    var el = document.querySelector("[data-root]");
    return new URL(el ? el.getAttribute("data-root") : "./", location.href).href;
  }

  function shardOf(url) {
    var bytes = new TextEncoder().encode(url), h = 0;
    for (var i = 0; i < bytes.length; i++) h = (Math.imul(h, 31) + bytes[i]) >>> 0;
    return h % shards;
  }

  function loadFromDisk(url) {
    var root = siteRoot();
    if (url.indexOf(root) !== 0) return Promise.resolve(null);
    var key = "/" + decodeURIComponent(url.slice(root.length)).replace(/index\.html$/, "");
    var k = shardOf(key);
    if (!loading[k]) {
      loading[k] = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = root + "previews/" + k + ".js";
        script.onload = script.onerror = function () { resolve(); };
        document.head.appendChild(script);
      });
    }
    return loading[k].then(function () {
      var entry = known[key];
      if (!entry) return null;
      // a document like a page: its title and summary as text, never parsed as markup
      var doc = document.implementation.createHTMLDocument("");
      var h1 = doc.createElement("h1"), body = doc.createElement("div"), p = doc.createElement("p");
      h1.className = "page-title"; h1.textContent = entry[0];
      body.className = "markdown"; p.textContent = entry[1];
      body.appendChild(p); doc.body.appendChild(h1); doc.body.appendChild(body);
      return doc;
    });
  }

  function load(url) {
    if (fromDisk) {
      if (!cache[url]) cache[url] = loadFromDisk(url);
      return cache[url];
    }
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" })
        .then(function (r) {
          var type = r.headers.get("content-type") || "";
          return r.ok && type.indexOf("text/html") === 0 ? r.text() : null;
        })
        .then(function (text) { return text ? new DOMParser().parseFromString(text, "text/html") : null; })
        .catch(function () { return null; });
    }
    return cache[url];
  }

  function level(el) {
    var m = /^H([1-6])$/.exec(el.tagName);
    return m ? Number(m[1]) : 0;
  }

  // What to show from `doc`: [title, nodes], the title being the page's h1 (its formulas are
  // MathML) or the document's title text. With a fragment naming a heading of the page's
  // text, that heading and the start of its section; else the first paragraph.
  function extract(doc, hash) {
    var h1 = doc.querySelector("h1.page-title") || doc.querySelector("h1");
    var title = h1 || doc.title;
    var root = doc.querySelector(".markdown");
    if (!root) return [title, []];
    var target = null;
    if (hash.length > 1) {
      try { target = doc.getElementById(decodeURIComponent(hash.slice(1))); } catch (e) { target = null; }
      if (target && !root.contains(target)) target = null;
    }
    if (target && level(target)) {
      var nodes = [target];
      var limit = level(target);
      for (var el = target.nextElementSibling; el && nodes.length < 4; el = el.nextElementSibling) {
        if (level(el) && level(el) <= limit) break;
        nodes.push(el);
        if (el.tagName === "P") break;
      }
      return [title, nodes];
    }
    if (target) return [title, [target]];
    var first = root.querySelector(":scope > p") || root.querySelector("p");
    return [title, first ? [first] : []];
  }

  // The popup is built from a sanitized copy, never from the target's markup itself: raw HTML
  // in a note (a script, an onerror handler) must not run in the page being read. Only these
  // elements and attributes are copied, with DOM APIs; URLs only when relative or http(s).
  var HTML_NS = "http://www.w3.org/1999/xhtml";
  var MATH_NS = "http://www.w3.org/1998/Math/MathML";
  function set(words) {
    var out = {};
    words.split(" ").forEach(function (w) { out[w] = true; });
    return out;
  }
  var HTML_TAGS = set(
    "p a em strong b i u code pre kbd ul ol li blockquote h1 h2 h3 h4 h5 h6 table thead tbody tfoot tr th td " +
    "caption colgroup col span div br img sub sup mark del s ins small hr"
  );
  var MATH_TAGS = set(
    "math mi mn mo ms mtext mspace mrow mfrac msqrt mroot mstyle merror mpadded mphantom mfenced menclose " +
    "msub msup msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mtd mlabeledtr " +
    "semantics annotation"
  );
  // dropped with everything inside; other elements are replaced by their (sanitized) children
  var DROP = set(
    "script style iframe frame frameset object embed applet form input button select textarea option " +
    "template noscript svg canvas audio video source track link meta base title head dialog portal " +
    "annotation-xml"
  );
  var ATTRS = set("class title alt colspan rowspan");
  var MATH_ATTRS = set(
    "display mathvariant stretchy fence separator lspace rspace minsize maxsize movablelimits accent " +
    "accentunder symmetric largeop form width height depth linethickness displaystyle scriptlevel " +
    "columnalign columnlines columnspacing rowalign rowlines rowspacing frame framespacing equalrows " +
    "equalcolumns columnspan rowspan notation open close separators mathcolor mathbackground mathsize " +
    "voffset align linebreak encoding"
  );
  var MAX_DEPTH = 40;

  // `value` resolved against `base`, or null unless it is http(s) (no javascript:, data:, …)
  function webUrl(value, base) {
    try {
      var url = new URL(value, base);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function cleanElement(el, base, depth) {
    var name = el.localName;
    var math = el.namespaceURI === MATH_NS;
    if (DROP[name] || depth > MAX_DEPTH) return null;
    if (el.namespaceURI === HTML_NS && el.classList.contains("heading-anchor")) return null;
    if (el.namespaceURI === HTML_NS && el.classList.contains("copy-button")) return null;
    var allowed = math ? MATH_TAGS[name] : el.namespaceURI === HTML_NS && HTML_TAGS[name];
    if (!allowed) return cleanChildren(el, document.createDocumentFragment(), base, depth);
    var copy = math ? document.createElementNS(MATH_NS, name) : document.createElement(name);
    Array.prototype.forEach.call(el.attributes, function (attr) {
      var key = attr.name.toLowerCase();
      if (key === "href" && name === "a" && !math) {
        var href = webUrl(attr.value, base);
        if (href) copy.setAttribute("href", href);
      } else if (key === "src" && name === "img" && !math) {
        var src = webUrl(attr.value, base);
        if (src) copy.setAttribute("src", src);
      } else if ((key === "width" || key === "height") && name === "img" && /^[0-9]{1,5}$/.test(attr.value)) {
        copy.setAttribute(key, attr.value); // sized images (![[pic.png|300]])
      } else if (ATTRS[key] || (math && MATH_ATTRS[key])) {
        copy.setAttribute(key, attr.value);
      }
    });
    return cleanChildren(el, copy, base, depth);
  }

  function cleanChildren(from, into, base, depth) {
    for (var child = from.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        into.appendChild(document.createTextNode(child.nodeValue));
      } else if (child.nodeType === 1) {
        var clean = cleanElement(child, base, depth + 1);
        if (clean) into.appendChild(clean);
      }
    }
    return into;
  }

  // A sanitized copy of `node` to put in this page: allowlisted elements and attributes only
  // (no ids, no handlers, no styles), URLs made absolute.
  function adopt(node, base) {
    return cleanElement(node, base, 0) || document.createDocumentFragment();
  }

  function hide() {
    clearTimeout(timer);
    current = null;
    if (popup) popup.hidden = true;
  }

  function place(link) {
    var rect = link.getBoundingClientRect();
    var gap = 6;
    var w = popup.offsetWidth;
    var h = popup.offsetHeight;
    var left = Math.max(8, Math.min(rect.left, window.innerWidth - w - 8));
    var top = rect.bottom + gap;
    if (top + h > window.innerHeight - 8 && rect.top - gap - h >= 8) top = rect.top - gap - h;
    popup.style.left = left + "px";
    popup.style.top = Math.max(8, top) + "px";
  }

  function show(link, doc) {
    if (current !== link || !doc) return;
    if (doc !== document && !doc.querySelector(".markdown, h1")) return;
    var url = new URL(link.href);
    var parts = extract(doc, url.hash);
    if (!popup) {
      popup = document.createElement("div");
      popup.className = "preview-popup markdown";
      popup.setAttribute("role", "tooltip");
      popup.addEventListener("mouseleave", hide);
      document.body.appendChild(popup);
    }
    popup.textContent = "";
    var head = document.createElement("div");
    head.className = "preview-title";
    if (typeof parts[0] === "string") head.textContent = parts[0];
    else cleanChildren(parts[0], head, url.href, 0); // sanitized like the text below
    popup.appendChild(head);
    parts[1].forEach(function (node) { popup.appendChild(adopt(node, url.href)); });
    popup.style.left = "0px";
    popup.style.top = "0px";
    popup.style.visibility = "hidden";
    popup.hidden = false;
    place(link);
    popup.style.visibility = "";
  }

  function internalLink(el) {
    var link = el && el.closest ? el.closest("a.internal") : null;
    if (!link || (popup && popup.contains(link))) return null;
    var url = new URL(link.href, location.href);
    // pages only (pretty URLs end in "/"): a link to a copied file (PDF, image) is not fetched
    var page = /\/$|\.html$/.test(url.pathname);
    return url.origin === location.origin && page ? link : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = internalLink(event.target);
    if (!link || link === current) return;
    hide();
    current = link;
    timer = setTimeout(function () {
      var url = new URL(link.href);
      var page = url.href.split("#")[0];
      var same = page === location.href.split("#")[0];
      (same ? Promise.resolve(document) : load(page)).then(function (doc) { show(link, doc); });
    }, DELAY);
  });
  document.addEventListener("mouseout", function (event) {
    var link = internalLink(event.target);
    if (!link || link !== current) return;
    var to = event.relatedTarget;
    if (to && (link.contains(to) || (popup && popup.contains(to)))) return;
    hide();
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
  window.addEventListener("scroll", hide, { passive: true });
  window.addEventListener("blur", hide);
})();
