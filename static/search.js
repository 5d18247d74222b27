// Full-text search over the index under <root>search/ (written at build time, see the data
// format in graph/search.py): meta.js, then one group file, a few token shards and a few
// document shards per query, each loaded with a <script> tag (not fetch), so search works
// offline and from file://. Loaded by search-boot.js the first time search is used, and by
// the /search/ page itself. Results are built with DOM APIs from text: note text is never
// parsed as HTML.
(function () {
  "use strict";
  // the interface's words (static/messages.js, made from the message catalogue)
  function t(key, values) { return window.mlnT ? window.mlnT(key, values) : key; }
  if (window.mlnSearch) return;

  var K1 = 1.2;
  var TOP = 10;          // pages shown
  var DOC_SHARD = 32;    // documents per d/<j>.js (meta.docShard)
  var PREFIX_LIMIT = 50; // expansions of the last word, typed as a prefix
  var CJK_LIMIT = 500;   // expansions of a single CJK character (its bigrams)
  var DEBOUNCE = 80;

  // --- tokens: exactly as the index (graph/search.py) makes them ----------------------------
  var CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u3040-\u30FF\uAC00-\uD7AF]/;
  var WORD = /[\p{L}\p{N}]/u;
  var UPPER = /\p{Uppercase}/u;
  var LOWER = /\p{Lowercase}/u;

  // maximal runs of the NFKC text: [{cjk, text}]
  function runs(text) {
    var out = [], cur = "", kind = 0;
    for (var ch of text.normalize("NFKC")) {
      var k = CJK.test(ch) ? 1 : WORD.test(ch) ? 2 : 0;
      if (k !== kind) {
        if (kind) out.push({ cjk: kind === 1, text: cur });
        cur = "";
        kind = k;
      }
      if (k) cur += ch;
    }
    if (kind) out.push({ cjk: kind === 1, text: cur });
    return out;
  }

  function cjkTokens(run) {
    var cs = Array.from(run);
    if (cs.length === 1) return [run];
    var out = [];
    for (var i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
    return out;
  }

  // the case-change parts of a word run (graphRAG -> graph, rag), lower-cased, >= 2 long
  function parts(run) {
    var cs = Array.from(run), cuts = [0];
    for (var i = 1; i < cs.length; i++) {
      if (!UPPER.test(cs[i])) continue;
      if (LOWER.test(cs[i - 1]) || (UPPER.test(cs[i - 1]) && i + 1 < cs.length && LOWER.test(cs[i + 1]))) cuts.push(i);
    }
    if (cuts.length === 1) return [];
    cuts.push(cs.length);
    var whole = run.toLowerCase(), out = [];
    for (var j = 0; j + 1 < cuts.length; j++) {
      var p = cs.slice(cuts[j], cuts[j + 1]).join("").toLowerCase();
      if (Array.from(p).length >= 2 && p !== whole) out.push(p);
    }
    return out;
  }

  // every token of `text`, in order (a word's parts follow the word)
  function tokenize(text) {
    var out = [];
    runs(text).forEach(function (r) {
      if (r.cjk) out.push.apply(out, cjkTokens(r.text));
      else out.push.apply(out, [r.text.toLowerCase()].concat(parts(r.text)));
    });
    return out;
  }

  function fold(s) { return s.normalize("NFKC").toLowerCase().replace(/\s+/g, " "); }

  // --- loading the index with <script> tags ---------------------------------------------------
  var root = "./";
  var files = Object.create(null);  // path -> {promise, data, has}

  function file(path) {
    var f = files[path];
    if (!f) f = files[path] = { has: false, data: null, promise: null };
    return f;
  }

  function load(path) {
    var f = file(path);
    if (f.has) return Promise.resolve(f.data);
    if (f.promise) return f.promise;
    f.promise = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = root + "search/" + path;
      script.onload = function () {
        script.remove();
        if (f.has) resolve(f.data);
        else { f.promise = null; reject(new Error("search index: " + path + " holds no data")); }
      };
      script.onerror = function () {
        script.remove();
        f.promise = null;
        reject(new Error("search index: cannot load " + path));
      };
      document.head.appendChild(script);
    });
    return f.promise;
  }

  function got(path, data) {
    var f = file(path);
    f.data = data;
    f.has = true;
  }

  // shard data: the tokens' sorted keys are computed once (object keys that look like
  // integers, "2023", are not kept in insertion order)
  var sorted = Object.create(null);  // k -> {map, keys}
  function shard(k) {
    return load("t/" + k + ".js").then(function (map) {
      if (!sorted[k]) sorted[k] = { map: map, keys: Object.keys(map).sort() };
      return sorted[k];
    });
  }

  // last i with arr[i] <= t, or -1
  function floor(arr, t) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (arr[mid] <= t) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  var has = Object.prototype.hasOwnProperty;

  // [{token, postings}] for `token`, or for every token starting with it (up to `limit`)
  function lookup(meta, token, prefix, limit) {
    var out = [];
    var gi = Math.max(0, floor(meta.groups, token));
    function walkGroup(gi) {
      if (gi >= meta.groups.length) return Promise.resolve();
      return load("g/" + gi + ".js").then(function (g) {
        var si = Math.max(0, floor(g.firsts, token));
        function walkShard(si) {
          if (si >= g.shards.length) {
            var next = meta.groups[gi + 1];
            return prefix && next !== undefined && next.indexOf(token) === 0 && out.length < limit ? walkGroup(gi + 1) : null;
          }
          return shard(g.shards[si]).then(function (s) {
            if (!prefix) {
              if (has.call(s.map, token)) out.push({ token: token, postings: s.map[token] });
              return null;
            }
            for (var i = Math.max(0, floor(s.keys, token)); i < s.keys.length && out.length < limit; i++) {
              var key = s.keys[i];
              if (key < token) continue;
              if (key.indexOf(token) !== 0) return null;
              out.push({ token: key, postings: s.map[key] });
            }
            return out.length < limit ? walkShard(si + 1) : null;
          });
        }
        return walkShard(si);
      });
    }
    return walkGroup(gi).then(function () { return out; });
  }

  // --- queries --------------------------------------------------------------------------------

  // The query's parts: tokens to look up ({token, prefix, limit}), strings the shown text must
  // contain (quoted phrases, CJK runs of 3+ characters), tag filters, and terms to highlight.
  function parse(query) {
    var q = query.normalize("NFKC").replace(/[\u201c\u201d]/g, '"');
    var tokens = [], must = [], tags = [], marks = [], seen = Object.create(null);
    var re = /"([^"]*)"?|(\S+)/g, m, last = null;
    function add(token, prefix, limit) {
      var key = token + (prefix ? "*" : "");
      if (seen[key]) return;
      seen[key] = true;
      tokens.push({ token: token, prefix: prefix, limit: limit });
    }
    var words = [];
    while ((m = re.exec(q))) {
      if (m[1] !== undefined) {
        var phrase = fold(m[1]).trim();
        if (!phrase) continue;
        must.push(phrase);
        marks.push(phrase);
        words.push({ text: m[1], phrase: true });
      } else if (m[2].length > 1 && m[2][0] === "#") {
        tags.push(fold(m[2].slice(1)));
      } else {
        words.push({ text: m[2], phrase: false, end: re.lastIndex });
      }
    }
    if (words.length) last = words[words.length - 1];
    var typing = last && !last.phrase && last.end === q.length;  // no space after it: still being typed
    words.forEach(function (w) {
      var rs = runs(w.text);
      rs.forEach(function (r, i) {
        if (r.cjk) {
          var cs = Array.from(r.text);
          if (cs.length === 1) add(r.text, true, CJK_LIMIT);
          else cjkTokens(r.text).forEach(function (t) { add(t, false, 0); });
          if (cs.length >= 3 && !w.phrase) must.push(fold(r.text));
          if (!w.phrase) marks.push(fold(r.text));
        } else {
          // the whole word only: its parts are what the index adds for words of the text
          var lower = r.text.toLowerCase();
          add(lower, w === last && typing && i === rs.length - 1, PREFIX_LIMIT);
          if (!w.phrase) marks.push(fold(r.text));
        }
      });
    });
    if (!tokens.length) {
      // only tags: the pages carrying them (a page's first document holds its tags' tokens)
      tags.forEach(function (t) { tokenize(t).forEach(function (tok) { add(tok, false, 0); }); });
    }
    return { tokens: tokens, must: must, tags: tags, marks: marks };
  }

  function idf(n, df) { return Math.log(1 + (n - df + 0.5) / (df + 0.5)); }

  // doc -> score of one query token (the best of its expansions)
  function scores(meta, found) {
    var out = new Map();
    found.forEach(function (e) {
      // postings: first doc id, score, gap to the next doc id, score, …; scores in thousandths
      var p = e.postings, w = idf(meta.docs, p.length / 2) / 1000, doc = 0;
      for (var i = 0; i + 1 < p.length; i += 2) {
        doc += p[i];
        var s = w * p[i + 1];
        if (!(out.get(doc) >= s)) out.set(doc, s);
      }
    });
    return out;
  }

  function docRow(j, i) {
    var f = files["d/" + j + ".js"];
    return f && f.has ? f.data[i] : null;
  }

  function keep(parsed, row) {
    if (parsed.tags.length) {
      var tags = row[5].map(fold);
      var ok = parsed.tags.every(function (t) {
        return tags.some(function (x) { return x === t || x.indexOf(t + "/") === 0; });
      });
      if (!ok) return false;
    }
    if (!parsed.must.length) return true;
    var hay = fold(row[2] + "\n" + row[3] + "\n" + row[6]);
    return parsed.must.every(function (s) { return hay.indexOf(s) >= 0; });
  }

  // -> {query, pages: [{url, title, note, tags, score, sections: [{anchor, heading, text, score}]}], more, ms}
  function search(query) {
    var start = performance.now();
    var parsed = parse(query);
    var result = { query: query, parsed: parsed, pages: [], more: false, ms: 0 };
    if (!parsed.tokens.length) return Promise.resolve(result);
    return load("meta.js").then(function (meta) {
      var shardSize = meta.docShard || DOC_SHARD;
      return Promise.all(parsed.tokens.map(function (t) {
        return lookup(meta, t.token, t.prefix, t.limit);
      })).then(function (found) {
        var maps = found.map(function (f) { return scores(meta, f); });
        maps.sort(function (a, b) { return a.size - b.size; });
        var cands = [];
        maps[0].forEach(function (s, doc) {
          for (var i = 1; i < maps.length; i++) {
            var t = maps[i].get(doc);
            if (t === undefined) return;
            s += t;
          }
          cands.push({ doc: doc, score: s });
        });
        cands.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        var pages = new Map(), done = new Set();

        function take(c) {
          if (done.has(c.doc)) return;
          var j = Math.floor(c.doc / shardSize), row = docRow(j, c.doc - j * shardSize);
          if (!row) return;
          done.add(c.doc);
          if (!keep(parsed, row)) return;
          var page = pages.get(row[0]);
          if (!page) {
            page = { url: row[0], title: row[2], note: row[4], tags: row[5], score: 0, best: c.score, sections: [] };
            pages.set(row[0], page);
          }
          page.sections.push({ doc: c.doc, anchor: row[1], heading: row[3], text: row[6], score: c.score });
        }

        var i = 0, wave = TOP + 2;  // the first wave fetches the shards of every likely result at once
        function step() {
          if (i >= cands.length || pages.size >= TOP) return Promise.resolve();
          var need = [], j = i;
          for (; j < cands.length; j++) {
            var sh = Math.floor(cands[j].doc / shardSize);
            var f = files["d/" + sh + ".js"];
            if ((!f || !f.has) && need.indexOf(sh) < 0) {
              if (need.length >= wave) break;
              need.push(sh);
            }
          }
          wave = 4;  // later waves only where results were filtered out (phrases, tags)
          return Promise.all(need.map(function (sh) { return load("d/" + sh + ".js"); })).then(function () {
            for (; i < j; i++) take(cands[i]);
            return step();
          });
        }
        return step().then(function () {
          // the other sections of the pages found, where their documents are loaded already
          for (var k = i; k < cands.length; k++) take(cands[k]);
          result.more = done.size < cands.length;
          var list = Array.from(pages.values());
          list.forEach(function (p) {
            p.sections.sort(function (a, b) { return a.doc - b.doc; });
            var sum = p.sections.reduce(function (t, s) { return t + s.score; }, 0);
            p.score = p.best + 0.1 * (sum - p.best);
          });
          list.sort(function (a, b) { return b.score - a.score || a.sections[0].doc - b.sections[0].doc; });
          if (list.length > TOP) result.more = true;
          result.pages = list.slice(0, TOP);
          result.ms = performance.now() - start;
          return result;
        });
      });
    });
  }

  // --- snippets and highlighting (text nodes and <mark> only) -----------------------------------

  // `s` folded character by character, with the index in `s` of each folded code unit
  function foldMap(s) {
    var norm = "", map = [];
    for (var i = 0; i < s.length;) {
      var ch = String.fromCodePoint(s.codePointAt(i));
      var n = ch.normalize("NFKC").toLowerCase();
      if (/\s/.test(ch)) n = " ";
      for (var j = 0; j < n.length; j++) map.push(i);
      norm += n;
      i += ch.length;
    }
    map.push(s.length);
    return { norm: norm, map: map };
  }

  function wordChar(ch) { return !!ch && WORD.test(ch) && !CJK.test(ch); }

  // a Latin term matches where a word or a case-change part of it starts
  function atStart(s, i) {
    var prev = s.charAt(i - 1), cur = s.charAt(i), next = s.charAt(i + 1);
    if (!wordChar(prev)) return true;
    return UPPER.test(cur) && (LOWER.test(prev) || (UPPER.test(prev) && LOWER.test(next)));
  }

  // [start, end) ranges in `s` of the query's terms, merged
  function ranges(s, marks) {
    var f = foldMap(s), out = [];
    marks.forEach(function (term) {
      if (!term) return;
      var latin = !CJK.test(term.charAt(0));
      for (var at = f.norm.indexOf(term); at >= 0; at = f.norm.indexOf(term, at + 1)) {
        var a = f.map[at], endNorm = at + term.length;
        var b = f.map[endNorm];
        while (endNorm < f.norm.length && f.map[endNorm] === f.map[endNorm - 1]) b = f.map[++endNorm];
        if (latin && !atStart(s, a)) continue;
        out.push([a, b]);
      }
    });
    out.sort(function (x, y) { return x[0] - y[0] || y[1] - x[1]; });
    var merged = [];
    out.forEach(function (r) {
      var top = merged[merged.length - 1];
      if (top && r[0] <= top[1]) top[1] = Math.max(top[1], r[1]);
      else merged.push(r.slice());
    });
    return merged;
  }

  function marked(el, s, rs) {
    var at = 0;
    rs.forEach(function (r) {
      if (r[0] > at) el.appendChild(document.createTextNode(s.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = s.slice(r[0], r[1]);
      el.appendChild(mark);
      at = r[1];
    });
    if (at < s.length) el.appendChild(document.createTextNode(s.slice(at)));
    return el;
  }

  function highlight(el, s, marks) { return marked(el, s, ranges(s, marks)); }

  // a window of `text` around its first match, with the matches marked
  function snippet(el, text, marks, width) {
    var rs = ranges(text, marks);
    var first = rs.length ? rs[0][0] : 0;
    var from = Math.max(0, first - Math.round(width / 4));
    if (from > 0) {
      var space = text.lastIndexOf(" ", first);
      if (space >= from - 15 && space < first) from = space + 1;
    }
    var to = Math.min(text.length, from + width);
    if (from > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(from))) from++;
    if (to < text.length && /[\uDC00-\uDFFF]/.test(text.charAt(to))) to++;
    var part = text.slice(from, to);
    var inside = rs.filter(function (r) { return r[1] > from && r[0] < to; }).map(function (r) {
      return [Math.max(r[0], from) - from, Math.min(r[1], to) - from];
    });
    if (from > 0) el.appendChild(document.createTextNode("…"));
    marked(el, part, inside);
    if (to < text.length) el.appendChild(document.createTextNode("…"));
    return el;
  }

  // --- rendering ----------------------------------------------------------------------------

  function pageHref(url, anchor) {
    var path = url.replace(/^\//, "");
    if (location.protocol === "file:" && (path === "" || /\/$/.test(path))) path += "index.html";
    return root + path + (anchor ? "#" + anchor : "");
  }

  function searchPageHref(query) {
    var page = location.protocol === "file:" ? "search/index.html" : "search/";
    return root + page + (query ? "?q=" + encodeURIComponent(query) : "");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  // the items of `result` (a page, then its sections) as <li>s; `width`: snippet length
  function items(result, width, maxSections) {
    var marks = result.parsed.marks.concat(result.parsed.tokens.map(function (t) { return t.token; }));
    var out = [];
    result.pages.forEach(function (p) {
      var intro = p.sections.filter(function (s) { return !s.anchor; })[0];
      var li = el("li", "search-result search-page");
      var a = el("a", "search-link");
      a.href = pageHref(p.url, "");
      a.appendChild(highlight(el("span", "search-title"), p.title, marks));
      var meta = el("span", "search-meta");
      meta.appendChild(el("span", "search-note", p.note));
      p.tags.forEach(function (t) { meta.appendChild(el("span", "tag", "#" + t)); });
      a.appendChild(meta);
      if (intro) a.appendChild(snippet(el("span", "search-snippet"), intro.text, marks, width));
      li.appendChild(a);
      out.push(li);
      var subs = p.sections.filter(function (s) { return s.anchor; });
      subs.sort(function (x, y) { return y.score - x.score || x.doc - y.doc; });
      subs.slice(0, maxSections).forEach(function (s) {
        var sub = el("li", "search-result search-section");
        var link = el("a", "search-link");
        link.href = pageHref(p.url, s.anchor);
        link.appendChild(highlight(el("span", "search-heading"), s.heading, marks));
        link.appendChild(snippet(el("span", "search-snippet"), s.text, marks, Math.round(width * 0.6)));
        sub.appendChild(link);
        out.push(sub);
      });
    });
    return out;
  }

  function status(result, error) {
    if (error) return t("search.failed", { error: error.message });
    var n = result.pages.length;
    if (!n) return t("search.none", { query: result.query.trim() });
    return t(result.more ? "search.more" : "search.pages", { n: n });
  }

  function announce(input, result, error) {
    var detail = { query: result ? result.query : "", ms: result ? result.ms : 0, pages: result ? result.pages.length : 0, error: error ? String(error) : "" };
    input.dispatchEvent(new CustomEvent("mlnsearch", { bubbles: true, detail: detail }));
  }

  // runs `fn(query)` ~80 ms after the last edit, never while an input method is composing
  function onEdit(input, fn) {
    var timer = 0, composing = false, last = null;
    function fire(now) {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (composing || input.value === last) return;
        last = input.value;
        fn(input.value);
      }, now ? 0 : DEBOUNCE);
    }
    input.addEventListener("compositionstart", function () { composing = true; clearTimeout(timer); });
    input.addEventListener("compositionend", function () { composing = false; fire(true); });
    input.addEventListener("input", function (event) {
      if (composing || event.isComposing) return;
      fire(false);
    });
    return {
      composing: function () { return composing; },
      rerun: function () { last = null; fire(true); },
      forget: function () { last = null; },
    };
  }

  // --- the header box: an ARIA combobox --------------------------------------------------------

  function combobox(input) {
    var form = input.form;
    var popup = document.getElementById("search-popup");
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var note = document.getElementById("search-status");
    var active = -1, options = [], seq = 0, shown = null;

    function open(yes) {
      popup.hidden = !yes;
      input.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes) select(-1);
    }

    function select(i) {
      if (options[active]) {
        options[active].setAttribute("aria-selected", "false");
        options[active].classList.remove("active");
      }
      active = i;
      if (options[i]) {
        options[i].setAttribute("aria-selected", "true");
        options[i].classList.add("active");
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(result, error) {
      shown = result;
      list.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (result) {
        items(result, 120, 3).forEach(function (li, i) {
          li.id = "search-option-" + i;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", "false");
          var a = li.querySelector("a");
          a.tabIndex = -1;
          options.push(li);
          list.appendChild(li);
        });
      }
      note.textContent = "";
      note.appendChild(document.createTextNode(status(result || { pages: [], query: "" }, error)));
      if (result && result.more) {
        note.appendChild(document.createTextNode(" · "));
        var all = el("a", "", t("search.all"));
        all.href = searchPageHref(result.query);
        note.appendChild(all);
      }
      open(document.activeElement === input);
    }

    var edits = onEdit(input, function (query) {
      var n = ++seq;
      if (!query.trim()) { shown = null; list.textContent = ""; options = []; open(false); return; }
      search(query).then(function (result) {
        if (n !== seq) return;
        show(result);
        announce(input, result);
      }, function (error) {
        if (n !== seq) return;
        show(null, error);
        announce(input, null, error);
      });
    });

    input.addEventListener("keydown", function (event) {
      if (event.isComposing || event.keyCode === 229) return;
      var expanded = !popup.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) return;
        event.preventDefault();
        if (!expanded) { open(true); select(event.key === "ArrowDown" ? 0 : options.length - 1); return; }
        var next = event.key === "ArrowDown" ? active + 1 : active - 1;
        if (next >= options.length) next = 0;
        if (next < -1) next = options.length - 1;
        select(next);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (expanded && options[active]) location.href = options[active].querySelector("a").href;
        else if (input.value.trim()) location.href = searchPageHref(input.value.trim());
      } else if (event.key === "Escape") {
        if (expanded) {
          event.preventDefault();  // keep the text (a search field clears itself on Escape)
          open(false);
        } else {
          input.blur();
        }
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.value.trim()) location.href = searchPageHref(input.value.trim());
    });
    input.addEventListener("focus", function () { if (shown && input.value.trim()) open(true); });
    input.addEventListener("blur", function () { open(false); });
    // clicks in the popup keep the focus in the box (the link still opens)
    popup.addEventListener("mousedown", function (event) { event.preventDefault(); });
    popup.addEventListener("mousemove", function (event) {
      var li = event.target.closest && event.target.closest("[role=option]");
      var i = options.indexOf(li);
      if (i >= 0 && i !== active) select(i);
    });
    if (input.value.trim() && document.activeElement === input) edits.rerun();
    else if (input.value.trim()) edits.forget();
    return edits;
  }

  // --- the /search/ page ----------------------------------------------------------------------

  function searchPage(box) {
    var input = box.querySelector("input[type=search]");
    var list = box.querySelector(".search-page-results");
    var note = box.querySelector(".search-page-status");
    var seq = 0;
    function run(query) {
      var n = ++seq;
      try {
        history.replaceState(null, "", query.trim() ? "?q=" + encodeURIComponent(query.trim()) : location.pathname);
      } catch (e) { /* file:// may refuse */ }
      list.textContent = "";
      if (!query.trim()) { note.textContent = ""; return; }
      search(query).then(function (result) {
        if (n !== seq) return;
        list.textContent = "";
        items(result, 260, 20).forEach(function (li) { list.appendChild(li); });
        note.textContent = status(result);
        announce(input, result);
      }, function (error) {
        if (n !== seq) return;
        note.textContent = status(null, error);
        announce(input, null, error);
      });
    }
    var edits = onEdit(input, run);
    box.addEventListener("submit", function (event) { event.preventDefault(); edits.rerun(); });
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    if (q) edits.rerun();
  }

  window.mlnSearch = {
    meta: function (m) { got("meta.js", m); },
    group: function (i, firsts, shards) { got("g/" + i + ".js", { firsts: firsts, shards: shards }); },
    tokens: function (k, map) { got("t/" + k + ".js", map); },
    docs: function (j, rows) { got("d/" + j + ".js", rows); },
    tokenize: tokenize,
    search: search,
    parse: parse,
  };

  function start() {
    var header = document.getElementById("search-input");
    var page = document.getElementById("search-page");
    var from = header || page;
    if (from && from.getAttribute("data-root")) root = from.getAttribute("data-root");
    if (header) combobox(header);
    if (page) searchPage(page);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
