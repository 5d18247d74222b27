// The canvas view shared by the graph page (graph.js) and the local graph of topic pages
// (graph-local.js): hover, click, pan, zoom, edge-kind filter and colour switch, for a graph
// from graph-data.js. Built to stay fast at 10,000 topics: one path per edge kind and one per
// node colour each frame, off-screen nodes and edges culled, and the plain frame cached in an
// offscreen canvas so that hovering only draws the highlight on top of it.
(function () {
  "use strict";
  // the interface's words (static/messages.js, made from the message catalogue)
  function t(key, values) { return window.mlnT ? window.mlnT(key, values) : key; }
  var KINDS = MlnGraph.KINDS;
  var LABELS_MAX = 40;  // fit() leaves room for labels when the graph has this few nodes
  var LABELS_ALL = 150; // zoomed in so far that this few nodes are visible: try to label each
  var LABELS_TOP = 24;  // else label the most connected visible nodes, this many at most
  var LEGEND_MAX = 10;  // colours named in the legend: the notes (or tags) with the most nodes
  var MARGIN = 12;      // px outside the canvas that still count as visible (node radius)
  // Device pixels of edges drawn per frame at most: without a GPU, Chromium rasterises
  // about 100 million pixels of thin lines a second, so 10,000 topics zoomed out (60,000
  // long edges) would take 150 ms. Past the budget only the strongest edges are drawn:
  // a small budget while the view moves, a larger one once it has been still for a moment.
  var EDGE_PIXELS_MOVING = 400000, EDGE_PIXELS_STILL = 2400000, SETTLE_MS = 200;

  // -- colours ---------------------------------------------------------------------------

  // Colours live in style.css (light and dark); read again whenever the theme changes.
  // `edge` colours are for highlighted edges, `faint` the same blended into the background.
  function readPalette(el) {
    var css = getComputedStyle(el), bg = css.getPropertyValue("--bg").trim(), edge = {}, faint = {};
    function v(name) { return css.getPropertyValue(name).trim(); }
    KINDS.concat("other").forEach(function (k) {
      edge[k] = v("--graph-" + k) || v("--muted");
      faint[k] = mix(edge[k], bg, 0.55);
    });
    return { bg: bg, fg: v("--fg"), muted: v("--muted"), accent: v("--accent"), edge: edge, faint: faint,
             tag: v("--graph-tag"), light: v("--graph-node-l"), font: getComputedStyle(document.body).fontFamily };
  }

  // `color` at `alpha` over `bg`, as an opaque colour: opaque lines rasterise faster
  function mix(color, bg, alpha) {
    var c = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
    c.canvas.width = c.canvas.height = 1;
    c.fillStyle = bg; c.fillRect(0, 0, 1, 1);
    c.globalAlpha = alpha; c.fillStyle = color; c.fillRect(0, 0, 1, 1);
    var d = c.getImageData(0, 0, 1, 1).data;
    return "rgb(" + d[0] + "," + d[1] + "," + d[2] + ")";
  }

  // one of 36 hues: about as many as the eye tells apart, and fewer colours are fewer fills
  function hue(key) {
    var h = 0;
    for (var i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
    return (h % 36) * 10;
  }

  function nodeColor(node, by, palette) {
    if (node.kind === "tag") return palette.tag;
    var key = by === "tag" ? (node.tags[0] || "").toLowerCase() : node.note;
    return key ? "hsl(" + hue(key) + ",55%," + palette.light + ")" : palette.muted;
  }

  function onThemeChange(callback) {
    new MutationObserver(callback).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", callback);
  }

  // -- the view --------------------------------------------------------------------------

  // A canvas that draws a graph at positions `xs`, `ys` (graph units). options: root (the
  // site root, relative), maxZoom (of fit()), wheelNeedsCtrl (a graph inside a scrolling page
  // must not catch the wheel: only Ctrl/⌘ + wheel, or a trackpad pinch, zooms it), status
  // (an element told when edges are left out for the pixel budget).
  function createView(canvas, tip, options) {
    var ctx = canvas.getContext("2d"), base = document.createElement("canvas"), bctx = base.getContext("2d");
    var palette = readPalette(canvas), enabled = {}, colorBy = "note";
    var g = null, X, Y, current = -1, on, byKind, colorOf, groups, radius, sx, sy, code, byDegree, placed = [];
    var touched = false, named = -1;  // a finger: a tap names a node (`named`), a second tap on it opens it
    var view = { x: 0, y: 0, k: 1 }, w = 0, h = 0, ratio = 1, hover = -1, dirty = true, frame = 0, settling = 0;

    function setGraph(graph, xs, ys, currentIndex) {
      g = graph; X = xs; Y = ys; current = currentIndex; hover = -1;
      var n = g.nodes.length;
      sx = new Float32Array(n); sy = new Float32Array(n); code = new Uint8Array(n); radius = new Float32Array(n);
      for (var i = 0; i < n; i++) radius[i] = Math.min(9, 3 + Math.log2(1 + g.first[i + 1] - g.first[i]));
      // most connected first (ties by node order): the order in which nodes get labels
      byDegree = Int32Array.from(g.nodes.map(function (_, i) { return i; }).sort(function (a, b) {
        return (g.first[b + 1] - g.first[b]) - (g.first[a + 1] - g.first[a]) || a - b;
      }));
      var lists = g.kinds.map(function () { return []; });
      for (var e = 0; e < g.src.length; e++) lists[g.kind[e]].push(e);
      // the strongest edges first: they are the ones drawn when the pixel budget runs out
      byKind = lists.map(function (list) {
        return Int32Array.from(list.sort(function (a, b) { return g.weight[b] - g.weight[a] || a - b; }));
      });
      setKinds(enabled);
      recolor();
    }

    function setKinds(kinds) {
      enabled = kinds;
      on = Uint8Array.from(g.kinds, function (name) { return enabled[name] !== false; });
      invalidate();
    }

    function setColorBy(by) { colorBy = by; recolor(); }

    function recolor() {
      colorOf = g.nodes.map(function (node) { return nodeColor(node, colorBy, palette); });
      groups = groupByColor(g.nodes.map(function (_, i) { return i; }));
      if (options.legend) legend(options.legend);
      invalidate();
    }

    // The legend: the colours of the notes (or first tags) with the most nodes, and the tag
    // pages' colour; what is not named is said in one line.
    function legend(el) {
      var counts = new Map(), named = 0;
      g.nodes.forEach(function (node, i) {
        if (node.kind === "tag") return;
        var key = colorBy === "tag" ? (node.tags[0] ? "#" + node.tags[0] : "") : node.note;
        if (!counts.has(key)) counts.set(key, { n: 0, color: colorOf[i] });
        counts.get(key).n++;
      });
      var keys = Array.from(counts.keys()).sort(function (a, b) { return counts.get(b).n - counts.get(a).n || (a < b ? -1 : 1); });
      el.textContent = "";
      function item(color, text, title, kind) {
        var li = document.createElement("li"), swatch = document.createElement("span");
        if (kind) li.className = kind;
        swatch.className = "swatch"; swatch.style.background = color; swatch.setAttribute("aria-hidden", "true");
        li.appendChild(swatch); li.appendChild(document.createTextNode(text));
        if (title) li.title = title;
        el.appendChild(li);
      }
      keys.slice(0, LEGEND_MAX).forEach(function (key) {
        var name = key ? key.replace(/^.*\//, "").replace(/\.(md|markdown)$/i, "") : (colorBy === "tag" ? t("graph.no_tag") : "?");
        item(counts.get(key).color, name + " (" + counts.get(key).n + ")", key);
        named++;
      });
      if (g.nodes.some(function (node) { return node.kind === "tag"; })) item(palette.tag, t("graph.tag_page"), "", "legend-tag");
      if (keys.length > named) {
        var more = document.createElement("li");
        more.className = "muted";
        more.textContent = t(colorBy === "tag" ? "graph.more_tags" : "graph.more_notes", { n: keys.length - named });
        el.appendChild(more);
      }
    }

    // nodes by colour (colour -> node indices), so that each colour is one fill
    function groupByColor(list) {
      var byColor = new Map();
      list.forEach(function (i) {
        if (!byColor.has(colorOf[i])) byColor.set(colorOf[i], []);
        byColor.get(colorOf[i]).push(i);
      });
      return byColor;
    }

    function restyle() { palette = readPalette(canvas); if (g) { recolor(); schedule(); } }

    function resize() {
      // a hidden or collapsed canvas is 0 px: kept at 1 device pixel, so drawImage never sees 0
      ratio = window.devicePixelRatio || 1; w = Math.max(canvas.clientWidth, 1); h = Math.max(canvas.clientHeight, 1);
      canvas.width = base.width = Math.round(w * ratio);
      canvas.height = base.height = Math.round(h * ratio);
      invalidate();
    }

    function fit() {
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, pad = 30;
      var padX = X.length <= LABELS_MAX ? Math.min(80, w / 5) : pad;  // room for the labels' half width
      for (var i = 0; i < X.length; i++) {
        minX = Math.min(minX, X[i]); maxX = Math.max(maxX, X[i]); minY = Math.min(minY, Y[i]); maxY = Math.max(maxY, Y[i]);
      }
      view.k = Math.min(Math.max(w - 2 * padX, 1) / Math.max(maxX - minX, 1), Math.max(h - 2 * pad, 1) / Math.max(maxY - minY, 1),
                        options.maxZoom);
      view.x = w / 2 - view.k * (minX + maxX) / 2;
      view.y = h / 2 - view.k * (minY + maxY) / 2;
      invalidate();
    }

    function invalidate() { dirty = true; }

    // the view moved: draw with the small budget now, with the large one when it is still
    function viewMoved() {
      invalidate();
      clearTimeout(settling);
      settling = setTimeout(function () { settling = 0; invalidate(); schedule(); }, SETTLE_MS);
    }
    function schedule() { if (g && !frame) frame = requestAnimationFrame(draw); }
    function nodeScale() { return Math.min(1.6, Math.max(0.2, Math.sqrt(view.k))); }

    // -- drawing ---------------------------------------------------------------------------

    // screen positions, and for culling an outcode per node: which sides of the canvas it is
    // beyond (an edge whose ends share a side is off-screen); returns how many are visible
    function project() {
      var visible = 0;
      for (var i = 0; i < X.length; i++) {
        var x = view.x + view.k * X[i], y = view.y + view.k * Y[i];
        sx[i] = x; sy[i] = y;
        code[i] = (x < -MARGIN ? 1 : 0) | (x > w + MARGIN ? 2 : 0) | (y < -MARGIN ? 4 : 0) | (y > h + MARGIN ? 8 : 0);
        if (!code[i]) visible++;
      }
      return visible;
    }

    function kindName(k) { return KINDS.indexOf(g.kinds[k]) >= 0 ? g.kinds[k] : "other"; }

    // about how many pixels an edge covers on screen (0 when off-screen)
    function edgePixels(e) {
      var a = g.src[e], b = g.dst[e];
      return code[a] & code[b] ? 0 : Math.min(Math.abs(sx[a] - sx[b]) + Math.abs(sy[a] - sy[b]), w + h) * ratio;
    }

    // How many edges of each kind fit the pixel budget, taking kinds from the top of the
    // drawing order (links first) and each kind's strongest edges first; also how many
    // edges in view were left out.
    function budget() {
      var left = settling ? EDGE_PIXELS_MOVING : EDGE_PIXELS_STILL, cut = new Int32Array(byKind.length), skipped = 0;
      for (var k = byKind.length - 1; k >= 0; k--) {
        var list = byKind[k], j = 0;
        if (!on[k]) continue;
        for (; j < list.length && left > 0; j++) left -= edgePixels(list[j]);
        cut[k] = j;
        for (; j < list.length; j++) if (edgePixels(list[j])) skipped++;
      }
      return { cut: cut, skipped: skipped };
    }

    // the first `count` edges of `list`, as one path of hairlines: lines one device pixel
    // wide are drawn by a much faster rasteriser than wider ones
    function strokeEdges(c, list, count, color) {
      c.beginPath();
      for (var j = 0; j < count; j++) {
        var a = g.src[list[j]], b = g.dst[list[j]];
        if (code[a] & code[b] || Math.abs(sx[a] - sx[b]) + Math.abs(sy[a] - sy[b]) < 0.5) continue;
        c.moveTo(sx[a], sy[a]); c.lineTo(sx[b], sy[b]);
      }
      c.globalAlpha = 1; c.strokeStyle = color; c.lineWidth = 1 / ratio; c.stroke();
    }

    function fillNodes(c, list, color) {
      var s = nodeScale();
      c.beginPath();
      for (var j = 0; j < list.length; j++) {
        var i = list[j], r = radius[i] * s;
        if (code[i]) continue;
        // a dot this small is a square on whole pixels: three times faster to fill than a disc
        if (r < 2) c.rect(Math.round(sx[i] - r), Math.round(sy[i] - r), Math.max(1, Math.round(2 * r)), Math.max(1, Math.round(2 * r)));
        else { c.moveTo(sx[i] + r, sy[i]); c.arc(sx[i], sy[i], r, 0, 2 * Math.PI); }
      }
      c.globalAlpha = 1; c.fillStyle = color; c.fill();
    }

    function ring(c, i, color) {
      c.beginPath(); c.arc(sx[i], sy[i], radius[i] * nodeScale() + 3, 0, 2 * Math.PI);
      c.globalAlpha = 1; c.strokeStyle = color; c.lineWidth = 2; c.stroke();
    }

    // Labels in `list` order, each under its node, skipping one that would overlap a label
    // already drawn (so the first in the list win); returns the boxes drawn.
    function labels(c, list) {
      var s = nodeScale(), boxes = [], seen = new Set();
      c.font = "12px " + palette.font; c.textAlign = "center"; c.textBaseline = "top";
      c.lineJoin = "round"; c.lineWidth = 3; c.strokeStyle = palette.bg; c.fillStyle = palette.fg; c.globalAlpha = 1;
      list.forEach(function (i) {
        if (code[i] || seen.has(i)) return;
        seen.add(i);
        var title = g.nodes[i].title, text = title.length > 24 ? title.slice(0, 23) + "…" : title;
        var y = sy[i] + radius[i] * s + 3, half = c.measureText(text).width / 2 + 2;
        var box = { i: i, x0: sx[i] - half, y0: y - 1, x1: sx[i] + half, y1: y + 15 };
        if (boxes.some(function (b) { return b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1; })) return;
        boxes.push(box);
        c.strokeText(text, sx[i], y); c.fillText(text, sx[i], y);  // a halo in the background colour keeps it legible
      });
      return boxes;
    }

    // Which nodes to label, best first: the current page, then every visible node once this
    // few are visible (zoomed in), else the most connected visible ones.
    function toLabel(visible) {
      var list = current >= 0 ? [current] : [], limit = visible <= LABELS_ALL ? visible : LABELS_TOP;
      for (var j = 0; j < byDegree.length && list.length <= limit; j++) if (!code[byDegree[j]]) list.push(byDegree[j]);
      return list;
    }

    // the frame without hover: edges by kind, nodes by colour, the current page, labels
    function renderBase() {
      dirty = false;
      bctx.setTransform(1, 0, 0, 1, 0, 0); bctx.clearRect(0, 0, base.width, base.height);
      bctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var visible = project(), fit = budget();
      byKind.forEach(function (list, k) { if (fit.cut[k]) strokeEdges(bctx, list, fit.cut[k], palette.faint[kindName(k)]); });
      groups.forEach(function (nodes, color) { fillNodes(bctx, nodes, color); });
      if (current >= 0 && !code[current]) ring(bctx, current, palette.accent);
      placed = labels(bctx, toLabel(visible));
      if (options.status && !settling) {  // not while the view moves: the count changes every frame
        options.status.textContent = fit.skipped ? t("graph.skipped", { n: fit.skipped }) : "";
      }
    }

    function visibleNodes() {
      var list = [];
      for (var i = 0; i < code.length; i++) if (!code[i]) list.push(i);
      return list;
    }

    // the hovered node's edges and neighbours over the dimmed cached frame
    function highlight(c, i) {
      c.globalAlpha = 0.75; c.fillStyle = palette.bg; c.fillRect(0, 0, w, h);
      var near = new Set([i]), lists = g.kinds.map(function () { return []; });
      for (var p = g.first[i]; p < g.first[i + 1]; p++) {
        var e = g.incident[p];
        if (!on[g.kind[e]]) continue;
        lists[g.kind[e]].push(e);
        near.add(g.src[e] === i ? g.dst[e] : g.src[e]);
      }
      lists.forEach(function (list, k) { if (list.length) strokeEdges(c, list, list.length, palette.edge[kindName(k)]); });
      var nodes = Array.from(near);
      groupByColor(nodes).forEach(function (list, color) { fillNodes(c, list, color); });
      ring(c, i, palette.fg);
      labels(c, nodes.length <= LABELS_MAX ? nodes : [i]);
    }

    function draw() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      if (!g) return;
      if (dirty) renderBase();
      ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.globalAlpha = 1;
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      if (base.width && base.height) ctx.drawImage(base, 0, 0);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      if (hover >= 0) highlight(ctx, hover);
    }

    // -- interaction -----------------------------------------------------------------------

    function local(ev) { var r = canvas.getBoundingClientRect(); return [ev.clientX - r.left, ev.clientY - r.top]; }

    // the node under a point, within a few pixels of its disc; a linear scan over typed
    // arrays takes well under a millisecond at 10,000 nodes (see benchmarks/graph_frames.py)
    function nodeAt(x, y) {
      var best = -1, bestD = Infinity, s = nodeScale();
      for (var i = 0; i < X.length; i++) {
        var dx = view.x + view.k * X[i] - x, dy = view.y + view.k * Y[i] - y, d = dx * dx + dy * dy;
        var r = Math.max(radius[i] * s + 3, 6);
        if (d <= r * r && d < bestD) { best = i; bestD = d; }
      }
      return best;
    }

    function setHover(i, x, y) {
      if (i === hover) return;
      hover = i;
      canvas.style.cursor = i >= 0 ? "pointer" : "";
      tip.hidden = i < 0;
      if (i >= 0) {
        tip.textContent = g.nodes[i].title;
        tip.style.left = Math.max(0, Math.min(x + 12, w - tip.offsetWidth)) + "px";  // never past the canvas
        tip.style.top = (y + 12 + tip.offsetHeight > h ? y - 12 - tip.offsetHeight : y + 12) + "px";
      }
      schedule();
    }

    function zoomAt(x, y, f) {
      f = Math.min(Math.max(f, 0.01 / view.k), 40 / view.k);
      view.x = x - f * (x - view.x); view.y = y - f * (y - view.y); view.k *= f;
      viewMoved(); schedule();
    }

    var pointers = new Map(), down = null, dragged = false;
    canvas.addEventListener("pointerdown", function (ev) {
      down = local(ev); dragged = false; touched = ev.pointerType === "touch" || ev.pointerType === "pen";
      pointers.set(ev.pointerId, down);
      canvas.setPointerCapture(ev.pointerId);
    });
    canvas.addEventListener("pointermove", function (ev) {
      var p = local(ev), last = pointers.get(ev.pointerId);
      if (!g) return;
      if (!last) { if (ev.pointerType !== "touch") setHover(nodeAt(p[0], p[1]), p[0], p[1]); return; }
      if (Math.abs(p[0] - down[0]) + Math.abs(p[1] - down[1]) > 3) dragged = true;
      var other = Array.from(pointers).find(function (entry) { return entry[0] !== ev.pointerId; });
      if (other) {  // two fingers: pinch zoom around their midpoint
        var q = other[1], before = Math.hypot(last[0] - q[0], last[1] - q[1]) || 1;
        zoomAt((p[0] + q[0]) / 2, (p[1] + q[1]) / 2, Math.hypot(p[0] - q[0], p[1] - q[1]) / before);
      } else {
        view.x += p[0] - last[0]; view.y += p[1] - last[1];
        viewMoved(); schedule();
      }
      pointers.set(ev.pointerId, p);
    });
    function release(ev) { pointers.delete(ev.pointerId); }
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);
    // (a finger "leaves" as it lifts: the node it named stays named)
    canvas.addEventListener("pointerleave", function () { if (g && !pointers.size && !touched) setHover(-1, 0, 0); });
    canvas.addEventListener("click", function (ev) {
      if (dragged || !g) return;
      var p = local(ev), i = nodeAt(p[0], p[1]);
      // on a touch screen there is no hover: the first tap names the node and shows its
      // neighbours, a second tap on it opens it (a tap elsewhere lets go)
      if (touched && i !== named) { named = i; setHover(i, p[0], p[1]); return; }
      if (i >= 0) window.location.href = MlnGraph.pageHref(options.root, g.nodes[i].id);
    });
    canvas.addEventListener("wheel", function (ev) {
      if (!g || (options.wheelNeedsCtrl && !ev.ctrlKey && !ev.metaKey)) return;
      ev.preventDefault();
      var p = local(ev), lines = ev.deltaMode === 1 ? 33 : 1;  // Firefox counts lines
      zoomAt(p[0], p[1], Math.exp(-Math.max(-100, Math.min(100, ev.deltaY * lines)) * 0.002));
    }, { passive: false });
    new ResizeObserver(function () {
      if (canvas.clientWidth !== w || canvas.clientHeight !== h) { resize(); schedule(); }
    }).observe(canvas);
    onThemeChange(restyle);

    // -- measurement -----------------------------------------------------------------------

    // one programmatic frame of a pan in a circle and a zoom between 1x and 1.5x
    function panZoom(start, i) {
      var f = 1.25 - 0.25 * Math.cos(i * 0.1), cx = w / 2, cy = h / 2;
      view = { k: start.k * f, x: cx - f * (cx - start.x) + 40 * Math.sin(i * 0.15), y: cy - f * (cy - start.y) + 40 * Math.cos(i * 0.15) - 40 };
      viewMoved();
    }

    // Draw `frames` animation frames, panning and zooming (mode "pan") or hovering a
    // different visible node each frame (mode "hover": the time includes the hit test).
    // Resolves to {drawMs, frameMs}: JS time of each frame's work, and rAF-to-rAF intervals.
    function measure(frames, mode) {
      draw();
      var start = view, targets = visibleNodes(), drawMs = [], frameMs = [], last = 0, i = 0;
      return new Promise(function (resolve) {
        function step(now) {
          if (i > 0) frameMs.push(now - last);
          last = now;
          if (i === frames) {
            view = start; setHover(-1, 0, 0); invalidate(); draw();
            resolve({ drawMs: drawMs, frameMs: frameMs });
            return;
          }
          var t0 = performance.now();
          if (mode === "hover") {
            var j = targets[(i * 7919) % targets.length];
            setHover(nodeAt(sx[j], sy[j]), sx[j], sy[j]);
          } else {
            panZoom(start, i);
          }
          draw();
          drawMs.push(performance.now() - t0);
          i++;
          requestAnimationFrame(step);
        }
        requestAnimationFrame(step);
      });
    }

    function position(id) { var i = g.index.get(id); return [view.x + view.k * X[i], view.y + view.k * Y[i]]; }

    // the labels of the last frame, as {id, x0, y0, x1, y1} in CSS px (for tests)
    function labelBoxes() {
      return placed.map(function (b) { return { id: g.nodes[b.i].id, x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 }; });
    }

    function zoom(f) { zoomAt(w / 2, h / 2, f); }

    return { setGraph: setGraph, setKinds: setKinds, setColorBy: setColorBy, resize: resize, fit: fit,
             draw: draw, position: position, measure: measure, labels: labelBoxes, zoom: zoom };
  }

  // The same pages as links, for the keyboard and screen readers: `ul` gets one link per node
  // of `nodes` (indices of g), most connected first, with its number of connections.
  function fillList(ul, g, nodes, root) {
    var degree = function (i) { return g.first[i + 1] - g.first[i]; };
    ul.textContent = "";
    nodes.slice().sort(function (a, b) { return degree(b) - degree(a) || a - b; }).forEach(function (i) {
      var li = document.createElement("li"), a = document.createElement("a"), n = document.createElement("span");
      a.href = MlnGraph.pageHref(root, g.nodes[i].id);
      a.textContent = g.nodes[i].title;
      n.className = "muted"; n.textContent = " " + degree(i);
      n.title = t("graph.connections");
      li.appendChild(a); li.appendChild(n); ul.appendChild(li);
    });
  }

  MlnGraph.createView = createView;
  MlnGraph.fillList = fillList;
})();
