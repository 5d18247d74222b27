// The local graph at the end of a topic page: the page and its neighbours in graph.json at
// depth 1 or 2, at most CAP nodes, laid out by a small force simulation (the build-time
// positions place the page among the whole vault, which says nothing here). graph.json can be
// several MB, so it is fetched only when the section comes near the viewport.
(function () {
  "use strict";
  function t(key, values) { return window.mlnT ? window.mlnT(key, values) : key; }
  var CAP = 120;  // nodes shown at most, the page included
  // how strongly one edge ties two pages: explicit links most, shared tags least
  var STRENGTH = { link: 1, mention: 0.8, reference: 0.6, related: 1, note: 0.6, tag: 0.4 };
  var GOLDEN = Math.PI * (3 - Math.sqrt(5));
  var REPEL = 3000, SPRING = 0.5, LENGTH = 50, GRAVITY = 0.1;  // the force layout's constants
  var section = document.querySelector(".local-graph");
  if (!section) return;
  var form = section.querySelector(".graph-controls");

  function strength(g, e) {
    var kind = g.kinds[g.kind[e]], w = g.weight[e];
    // a related edge's weight is a similarity in (0, 1]; other weights count occurrences
    return (STRENGTH[kind] || 0.5) * (kind === "related" ? w : 1 + Math.log(w));
  }

  // Scores of the nodes one step from `from` (node -> score). Each node shares its score
  // among its edges, so a tag page with hundreds of edges passes each of them very little:
  // at depth 2 tag hubs only fill the places that closer pages leave free.
  function spread(g, from, on, skip) {
    var scores = new Map();
    from.forEach(function (score, u) {
      var edges = [];
      for (var p = g.first[u]; p < g.first[u + 1]; p++) if (on[g.kind[g.incident[p]]]) edges.push(g.incident[p]);
      edges.forEach(function (e) {
        var v = g.src[e] === u ? g.dst[e] : g.src[e];
        if (!skip.has(v)) scores.set(v, (scores.get(v) || 0) + score * strength(g, e) / edges.length);
      });
    });
    return scores;
  }

  function strongest(g, scores, count) {
    return Array.from(scores.keys()).sort(function (a, b) {
      return scores.get(b) - scores.get(a) || (g.nodes[a].id < g.nodes[b].id ? -1 : 1);
    }).slice(0, count);
  }

  // the page first, then its neighbours at depth 1, then (depth 2) theirs: {nodes, depths}
  function neighbourhood(g, centre, depth, on) {
    var first = spread(g, new Map([[centre, 1]]), on, new Set([centre]));
    var nodes = [centre].concat(strongest(g, first, CAP - 1)), depths = nodes.map(function (_, i) { return i ? 1 : 0; });
    if (depth > 1 && nodes.length < CAP) {
      var from = new Map(nodes.slice(1).map(function (u) { return [u, first.get(u)]; }));
      var second = strongest(g, spread(g, from, on, new Set(nodes)), CAP - nodes.length);
      nodes = nodes.concat(second);
      depths = depths.concat(second.map(function () { return 2; }));
    }
    return { nodes: nodes, depths: depths };
  }

  // Run to rest before the first draw: nodes repel each other, connected pairs pull towards
  // a fixed distance, a weak pull keeps everything near 0,0. The page is free to move too:
  // tied to all its neighbours, it settles among them. Deterministic: the start is a spiral
  // around the page by depth, so a page always gets the same picture.
  function layout(sub, depths) {
    var n = sub.nodes.length, x = new Float32Array(n), y = new Float32Array(n), vx = new Float32Array(n), vy = new Float32Array(n);
    var pairs = new Map(), degree = new Float32Array(n);  // one spring per connected pair, however many kinds connect it
    for (var e = 0; e < sub.src.length; e++) {
      var key = Math.min(sub.src[e], sub.dst[e]) * n + Math.max(sub.src[e], sub.dst[e]);
      if (!pairs.has(key)) { pairs.set(key, 1); degree[sub.src[e]]++; degree[sub.dst[e]]++; }
    }
    var springs = Array.from(pairs.keys());
    for (var i = 1; i < n; i++) {
      x[i] = 60 * depths[i] * Math.cos(i * GOLDEN); y[i] = 60 * depths[i] * Math.sin(i * GOLDEN);
    }
    for (var step = 0, alpha = 1; step < 300; step++, alpha *= 0.985) {
      for (i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var dx = x[j] - x[i], dy = y[j] - y[i], f = REPEL * alpha / Math.max(dx * dx + dy * dy, 25);
          vx[i] -= dx * f; vy[i] -= dy * f; vx[j] += dx * f; vy[j] += dy * f;
        }
      }
      // as in d3-force: a spring is weaker between well-connected nodes (or a dense core
      // collapses while leaves fly off), and the better-connected end moves less
      springs.forEach(function (key) {
        var a = Math.floor(key / n), b = key % n, dx = x[b] - x[a], dy = y[b] - y[a], d = Math.sqrt(dx * dx + dy * dy) || 1;
        var f = SPRING * alpha * (d - LENGTH) / d / Math.min(degree[a], degree[b]), bias = degree[a] / (degree[a] + degree[b]);
        vx[a] += dx * f * (1 - bias); vy[a] += dy * f * (1 - bias); vx[b] -= dx * f * bias; vy[b] -= dy * f * bias;
      });
      for (i = 0; i < n; i++) {
        vx[i] = (vx[i] - GRAVITY * alpha * x[i]) * 0.6; vy[i] = (vy[i] - GRAVITY * alpha * y[i]) * 0.6;
        x[i] += vx[i]; y[i] += vy[i];
      }
    }
    return { x: x, y: y };
  }

  function show(g, centre, view) {
    var controls = MlnGraph.readControls(form);
    var on = g.kinds.map(function (kind) { return controls.kinds[kind] !== false; });
    var near = neighbourhood(g, centre, controls.depth, on), sub = MlnGraph.subgraph(g, near.nodes, on);
    var at = layout(sub, near.depths);
    view.setGraph(sub, at.x, at.y, 0);
    view.setKinds(controls.kinds);
    view.setColorBy(controls.color);
    view.resize();
    view.fit();
    view.draw();
    var list = section.querySelector(".graph-list ul");
    if (list) MlnGraph.fillList(list, sub, sub.nodes.map(function (_, i) { return i; }).slice(1), section.dataset.root);
    return sub.nodes.map(function (node) { return node.id; });
  }

  function start() {
    var started = performance.now();
    MlnGraph.load(section.dataset.src).then(function (loaded) {
      var g = loaded.graph, centre = g.index.get(section.dataset.id);
      if (centre === undefined || g.first[centre] === g.first[centre + 1]) {
        section.querySelector(".graph-empty").hidden = false;
        section.dataset.ready = "1";
        return;
      }
      section.querySelector(".graph-body").hidden = false;
      var canvas = section.querySelector("canvas");
      var view = MlnGraph.createView(canvas, section.querySelector(".graph-tip"),
                                     { root: section.dataset.root, maxZoom: 2, wheelNeedsCtrl: true, legend: section.querySelector(".graph-legend") });
      var t0 = performance.now(), shown = show(g, centre, view), now = performance.now();
      form.addEventListener("change", function (ev) {
        if (ev.target.name === "color") { view.setColorBy(ev.target.value); view.draw(); } else shown = show(g, centre, view);
      });
      section.dataset.ready = "1";
      // for tests and benchmarks, like window.mlnGraph on the graph page
      window.mlnLocalGraph = {
        nodes: function () { return shown.slice(); }, position: view.position, measure: view.measure, labels: view.labels,
        timing: { fetchMs: loaded.fetchMs, parseMs: loaded.parseMs, layoutAndDrawMs: now - t0, firstDrawMs: now - started },
      };
    }).catch(function () {  // e.g. opened from disk without `file_urls`: the browser refuses fetch
      var note = section.querySelector(".graph-empty");
      note.textContent = t("graph.unavailable");
      note.hidden = false;
      section.dataset.ready = "1";
    });
  }

  var observer = new IntersectionObserver(function (entries) {
    if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
    observer.disconnect();
    start();
  }, { rootMargin: "200px" });
  observer.observe(section);
})();
