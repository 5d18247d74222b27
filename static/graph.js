// The graph page: draws graph.json (positions precomputed at build time) on a canvas.
// Hover highlights a node's neighbours, click opens it, drag pans, wheel zooms, and the
// checkboxes filter edges by kind. Drawing is one pass over nodes and edges per frame.
(function () {
  "use strict";
  var canvas = document.getElementById("graph");
  if (!canvas) return;
  var ctx = canvas.getContext("2d");
  var root = canvas.dataset.root;
  var tip = document.getElementById("graph-tip");
  var KIND_COLOR = { link: "#3b6fd8", mention: "#2a9d6b", reference: "#c77d1a", tag: "#9a6ad0" };
  var data = null, neighbours = {}, byId = {}, hover = null;
  var view = { x: 0, y: 0, k: 1 }, kinds = { link: true, mention: true, reference: true, tag: true };
  var frame = 0;

  function colorOf(note) {
    var h = 0;
    for (var i = 0; i < note.length; i++) h = (h * 31 + note.charCodeAt(i)) >>> 0;
    return "hsl(" + (h % 360) + ",55%,50%)";
  }

  function resize() {
    var ratio = window.devicePixelRatio || 1;
    canvas.width = canvas.clientWidth * ratio;
    canvas.height = canvas.clientHeight * ratio;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    schedule();
  }

  function fit() {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    data.nodes.forEach(function (n) {
      minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x); minY = Math.min(minY, n.y); maxY = Math.max(maxY, n.y);
    });
    var w = canvas.clientWidth, h = canvas.clientHeight;
    view.k = Math.min(w / (maxX - minX + 80), h / (maxY - minY + 80), 3);
    view.x = w / 2 - view.k * (minX + maxX) / 2;
    view.y = h / 2 - view.k * (minY + maxY) / 2;
  }

  function screen(n) { return [view.x + view.k * n.x, view.y + view.k * n.y]; }

  function draw() {
    frame = 0;
    var w = canvas.clientWidth, h = canvas.clientHeight;
    ctx.clearRect(0, 0, w, h);
    var near = hover ? neighbours[hover.id] : null;
    ctx.lineWidth = 1;
    data.edges.forEach(function (e) {
      if (!kinds[e.kind]) return;
      var a = byId[e.source], b = byId[e.target];
      var lit = hover && (e.source === hover.id || e.target === hover.id);
      ctx.globalAlpha = hover && !lit ? 0.08 : 0.6;
      ctx.strokeStyle = KIND_COLOR[e.kind] || "#888";
      var p = screen(a), q = screen(b);
      ctx.beginPath(); ctx.moveTo(p[0], p[1]); ctx.lineTo(q[0], q[1]); ctx.stroke();
    });
    data.nodes.forEach(function (n) {
      var p = screen(n);
      if (p[0] < -10 || p[1] < -10 || p[0] > w + 10 || p[1] > h + 10) return;
      ctx.globalAlpha = hover && n !== hover && !(near && near[n.id]) ? 0.2 : 1;
      ctx.fillStyle = n.kind === "tag" ? KIND_COLOR.tag : colorOf(n.note);
      ctx.beginPath(); ctx.arc(p[0], p[1], n === hover ? 6 : 4, 0, 2 * Math.PI); ctx.fill();
    });
    ctx.globalAlpha = 1;
  }

  function schedule() { if (data && !frame) frame = requestAnimationFrame(draw); }

  function nodeAt(x, y) {
    var best = null, bestD = 100;  // within 10 px
    data.nodes.forEach(function (n) {
      var p = screen(n), d = (p[0] - x) * (p[0] - x) + (p[1] - y) * (p[1] - y);
      if (d < bestD) { best = n; bestD = d; }
    });
    return best;
  }

  function local(ev) { var r = canvas.getBoundingClientRect(); return [ev.clientX - r.left, ev.clientY - r.top]; }

  var drag = null, moved = false;
  canvas.addEventListener("mousedown", function (ev) { drag = local(ev); moved = false; });
  window.addEventListener("mouseup", function () { drag = null; });
  canvas.addEventListener("mousemove", function (ev) {
    var p = local(ev);
    if (drag) {
      if (Math.abs(p[0] - drag[0]) + Math.abs(p[1] - drag[1]) > 2) moved = true;
      view.x += p[0] - drag[0]; view.y += p[1] - drag[1]; drag = p; schedule(); return;
    }
    var n = nodeAt(p[0], p[1]);
    if (n !== hover) {
      hover = n; canvas.style.cursor = n ? "pointer" : "";
      tip.hidden = !n;
      if (n) { tip.textContent = n.title; tip.style.left = p[0] + 12 + "px"; tip.style.top = p[1] + 12 + "px"; }
      schedule();
    }
  });
  canvas.addEventListener("click", function (ev) {
    if (moved) return;
    var p = local(ev), n = nodeAt(p[0], p[1]);
    if (n) window.location.href = root + n.id.replace(/^\//, "");
  });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = local(ev), f = ev.deltaY < 0 ? 1.2 : 1 / 1.2;
    view.x = p[0] - f * (p[0] - view.x); view.y = p[1] - f * (p[1] - view.y); view.k *= f;
    schedule();
  }, { passive: false });
  document.querySelectorAll(".graph-filter input").forEach(function (box) {
    box.addEventListener("change", function () { kinds[box.value] = box.checked; schedule(); });
  });
  window.addEventListener("resize", resize);

  fetch(canvas.dataset.src).then(function (r) { return r.json(); }).then(function (d) {
    data = d;
    d.nodes.forEach(function (n) { byId[n.id] = n; neighbours[n.id] = {}; });
    d.edges.forEach(function (e) { neighbours[e.source][e.target] = true; neighbours[e.target][e.source] = true; });
    resize(); fit(); draw();
    canvas.dataset.ready = "1";
    // for tests and tools: where a node is drawn, in CSS pixels relative to the canvas
    window.mlnGraph = { position: function (id) { return screen(byId[id]); } };
  });
})();
