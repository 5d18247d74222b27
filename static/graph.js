// The graph page: every page and tag of graph.json at the position computed at build time,
// drawn by the shared view of graph-view.js (hover, click, pan, zoom, filters, colours).
(function () {
  "use strict";
  function t(key, values) { return window.mlnT ? window.mlnT(key, values) : key; }
  var canvas = document.getElementById("graph");
  if (!canvas) return;
  var form = document.querySelector(".graph-controls");
  var view = MlnGraph.createView(canvas, document.getElementById("graph-tip"),
                                 { root: canvas.dataset.root, maxZoom: 3, status: document.getElementById("graph-status"),
                                   legend: document.getElementById("graph-legend") });
  var list = document.getElementById("graph-list");

  function applyControls() {
    var controls = MlnGraph.readControls(form);
    view.setKinds(controls.kinds);
    view.setColorBy(controls.color);
  }

  var started = performance.now();
  MlnGraph.load(canvas.dataset.src).then(function (loaded) {
    var g = loaded.graph;
    view.setGraph(g, Float32Array.from(g.nodes, function (n) { return n.x; }), Float32Array.from(g.nodes, function (n) { return n.y; }), -1);
    applyControls();
    view.resize();
    view.fit();
    var t0 = performance.now();
    view.draw();
    var now = performance.now();
    form.addEventListener("change", function () { applyControls(); view.draw(); });
    // the list of every page is made when first opened (10,000 links are not free)
    list.addEventListener("toggle", function () {
      if (list.open && !list.dataset.filled) {
        MlnGraph.fillList(list.querySelector("ul"), g, g.nodes.map(function (_, i) { return i; }), canvas.dataset.root);
        list.dataset.filled = "1";
      }
    });
    list.hidden = false;
    canvas.dataset.ready = "1";
    // for tests and benchmarks: where a node is drawn (CSS px from the canvas' top left),
    // frame times (see measure() in graph-view.js) and how long the first draw took
    window.mlnGraph = {
      position: view.position, measure: view.measure, labels: view.labels, zoom: function (f) { view.zoom(f); view.draw(); },
      nodes: g.nodes.length, edges: g.src.length,
      timing: { fetchMs: loaded.fetchMs, parseMs: loaded.parseMs, drawMs: now - t0, firstDrawMs: now - started },
    };
  }).catch(function () {  // e.g. opened from disk without `file_urls`: the browser refuses fetch
    document.getElementById("graph-status").textContent = t("graph.unavailable");
    canvas.dataset.ready = "0";
  });
})();
