// What the graph views draw (graph-view.js): graph.json as typed arrays with each node's
// edges listed, the graph around a set of nodes, and the options form. Used by the graph
// page (graph.js) and the local graph of topic pages (graph-local.js).
(function () {
  "use strict";
  // drawing order, bottom to top: the many tag and note edges first, explicit links last
  var KINDS = ["tag", "note", "related", "reference", "mention", "link"];

  function byId(nodes) {
    var index = new Map();
    nodes.forEach(function (node, i) { index.set(node.id, i); });
    return index;
  }

  // A graph: `nodes` (graph.json's objects), `index` (id -> node), edges as parallel arrays
  // (`src`, `dst`, `kind` an index into `kinds`, `weight`); this adds each node's edges:
  // those of node i are incident[first[i]] to incident[first[i + 1] - 1].
  function withIncidence(g) {
    var n = g.nodes.length, m = g.src.length, first = new Int32Array(n + 1), incident = new Int32Array(2 * m);
    for (var e = 0; e < m; e++) { first[g.src[e] + 1]++; first[g.dst[e] + 1]++; }
    for (var i = 0; i < n; i++) first[i + 1] += first[i];
    var fill = first.slice(0, n);
    for (e = 0; e < m; e++) { incident[fill[g.src[e]]++] = e; incident[fill[g.dst[e]]++] = e; }
    g.first = first; g.incident = incident;
    return g;
  }

  function fromJSON(data) {
    var kinds = KINDS.slice(), index = byId(data.nodes), m = data.edges.length;
    var src = new Int32Array(m), dst = new Int32Array(m), kind = new Uint8Array(m), weight = new Float64Array(m);
    var kept = 0;
    data.edges.forEach(function (edge) {
      var a = index.get(edge.source), b = index.get(edge.target);
      if (a === undefined || b === undefined) return;
      if (kinds.indexOf(edge.kind) < 0) kinds.push(edge.kind);  // a kind this script does not know yet
      src[kept] = a; dst[kept] = b; kind[kept] = kinds.indexOf(edge.kind); weight[kept] = edge.weight; kept++;
    });
    return withIncidence({ nodes: data.nodes, index: index, kinds: kinds, src: src.slice(0, kept), dst: dst.slice(0, kept),
                           kind: kind.slice(0, kept), weight: weight.slice(0, kept) });
  }

  // fetch and index graph.json; the timings are reported by the measurement hooks. A site
  // built with `file_urls` (<html data-file-urls>) may be opened from disk, where fetch is
  // refused: there the same data comes from graph.json.js through a <script> tag.
  function load(url) {
    var t0 = performance.now(), t1;
    if (document.documentElement.hasAttribute("data-file-urls")) {
      return new Promise(function (resolve, reject) {
        if (window.mlnGraphJSON) return resolve(window.mlnGraphJSON);
        var script = document.createElement("script");
        script.src = url + ".js";
        script.onload = function () { resolve(window.mlnGraphJSON); };
        script.onerror = function () { reject(new Error(url + ".js did not load")); };
        document.head.appendChild(script);
      }).then(function (data) {
        t1 = performance.now();
        return { graph: fromJSON(data), fetchMs: t1 - t0, parseMs: performance.now() - t1 };
      });
    }
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.text();
    }).then(function (text) {
      t1 = performance.now();
      var graph = fromJSON(JSON.parse(text));
      return { graph: graph, fetchMs: t1 - t0, parseMs: performance.now() - t1 };
    });
  }

  // the link to a page from the site root `root` (relative): its folder, or on disk its index.html
  function pageHref(root, id) {
    var path = id.replace(/^\//, "");
    if (location.protocol === "file:" && (path === "" || /\/$/.test(path))) path += "index.html";
    return root + path;
  }

  // the graph induced by `keep` (node indices), with only the edges of the kinds `on` allows
  function subgraph(g, keep, on) {
    var at = new Int32Array(g.nodes.length).fill(-1), src = [], dst = [], kind = [], weight = [];
    keep.forEach(function (i, j) { at[i] = j; });
    keep.forEach(function (i) {
      for (var p = g.first[i]; p < g.first[i + 1]; p++) {
        var e = g.incident[p];
        if (g.src[e] !== i || at[g.dst[e]] < 0 || !on[g.kind[e]]) continue;  // each edge once, from its source
        src.push(at[i]); dst.push(at[g.dst[e]]); kind.push(g.kind[e]); weight.push(g.weight[e]);
      }
    });
    var nodes = keep.map(function (i) { return g.nodes[i]; });
    return withIncidence({ nodes: nodes, index: byId(nodes), kinds: g.kinds, src: Int32Array.from(src), dst: Int32Array.from(dst),
                           kind: Uint8Array.from(kind), weight: Float64Array.from(weight) });
  }

  // the options form: {kinds: {link: true, ...}, color: "note", depth: 1}
  function readControls(form) {
    var kinds = {};
    form.querySelectorAll("input[name=kind]").forEach(function (box) { kinds[box.value] = box.checked; });
    var color = form.querySelector("input[name=color]:checked"), depth = form.querySelector("input[name=depth]:checked");
    return { kinds: kinds, color: color ? color.value : "note", depth: depth ? Number(depth.value) : 1 };
  }

  window.MlnGraph = { KINDS: KINDS, load: load, subgraph: subgraph, readControls: readControls, pageHref: pageHref };
})();
