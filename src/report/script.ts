/**
 * The page's inline script: the hover tooltip, zooming the time axis, fitting the checker's
 * embedded page to its height, and opening at the failure: the first operation that could not be
 * linearized (red) is scrolled into the middle of the view, sideways in the timeline and down the
 * page; else the violation's line, sideways. Plain ES5-level DOM code, no libraries; it only reads the page.
 */
export const PAGE_SCRIPT = `
(function () {
  var tip = document.getElementById('tip');
  var svg = document.getElementById('timeline');
  var scroller = document.getElementById('scroller');
  var opsEl = document.getElementById('ops');
  var ops = opsEl ? JSON.parse(opsEl.textContent) : [];
  var unit = svg ? svg.getAttribute('data-unit') : '';

  function opText(el) {
    var i = +el.getAttribute('data-op');
    var o = ops[i];
    if (!o) return '';
    var lines = ['op ' + i + ' \\u00b7 client ' + o[0],
      'input  ' + JSON.stringify(o[3]),
      'output ' + (o[4] === null ? 'unknown' : JSON.stringify(o[4])),
      o[2] === null ? 'call ' + o[1] + ' ' + unit + ', never returned'
        : 'call ' + o[1] + ' \\u2192 return ' + o[2] + ' ' + unit + ' (' + (o[2] - o[1]) + ')'];
    (o[5] || []).forEach(function (timeout) {
      lines.push('timed out at ' + timeout[0] + ' ' + unit + (timeout[1] === 'retry' ? ', sent again' : ', gave up'));
    });
    if (el.classList.contains('blocked')) lines.push('the first operation that could not be linearized');
    return lines.join('\\n');
  }
  function place(e) {
    if (tip.style.display !== 'block') return;
    var x = e.clientX + 14, y = e.clientY + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 4) x = Math.max(4, e.clientX - w - 10);
    if (y + h > window.innerHeight - 4) y = Math.max(4, e.clientY - h - 10);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }
  document.addEventListener('mouseover', function (e) {
    var el = e.target && e.target.closest ? e.target.closest('[data-op],[data-tip]') : null;
    if (!el) { tip.style.display = 'none'; return; }
    tip.textContent = el.hasAttribute('data-op') ? opText(el) : el.getAttribute('data-tip');
    tip.style.display = 'block';
    place(e);
  });
  document.addEventListener('mousemove', place);

  // Zoom: scale every horizontal coordinate of the plot from its value at zoom 1, keeping the
  // time at the middle of the view in place; text keeps its size.
  var base = null, zoom = 1;
  function collect() {
    base = [];
    var all = svg.querySelectorAll('*');
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (el.closest('defs')) continue;
      var saved = null;
      ['x', 'x1', 'x2', 'width'].forEach(function (name) {
        if (el.hasAttribute(name)) { saved = saved || {}; saved[name] = parseFloat(el.getAttribute(name)); }
      });
      if (saved) base.push([el, saved]);
    }
  }
  function setZoom(z) {
    if (!svg) return;
    z = Math.max(1, Math.min(64, z));
    if (!base) collect();
    var oldWidth = svg.width.baseVal.value;
    var middle = (scroller.scrollLeft + scroller.clientWidth / 2) / oldWidth;
    zoom = z;
    for (var i = 0; i < base.length; i++) {
      var el = base[i][0], saved = base[i][1];
      for (var name in saved) el.setAttribute(name, String(Math.round(saved[name] * z * 10) / 10));
    }
    var width = +svg.getAttribute('data-width') * z;
    svg.setAttribute('width', String(width));
    svg.classList.toggle('zoomed', z >= 3);
    scroller.scrollLeft = middle * width - scroller.clientWidth / 2;
    var label = document.getElementById('zoom-level');
    if (label) label.textContent = z + '\\u00d7';
    var range = document.getElementById('zoom-range');
    if (range) range.value = String(Math.round(Math.log(z) / Math.LN2));
  }
  function on(id, event, fn) { var el = document.getElementById(id); if (el) el.addEventListener(event, fn); }
  on('zoom-in', 'click', function () { setZoom(zoom * 2); });
  on('zoom-out', 'click', function () { setZoom(zoom / 2); });
  on('zoom-fit', 'click', function () { setZoom(1); });
  on('zoom-range', 'input', function (e) { setZoom(Math.pow(2, +e.target.value)); });

  function openAtFailure() {
    var target = document.querySelector('#timeline .o.blocked') || document.querySelector('#timeline [data-kind=violation] line');
    if (!target || !scroller || location.hash) return;
    var box = target.getBoundingClientRect(), view = scroller.getBoundingClientRect();
    scroller.scrollLeft += box.left + box.width / 2 - (view.left + scroller.clientWidth / 2);
    // The violation's line spans every lane and the header above explains it: only the red
    // operation is worth scrolling down to.
    if (target.tagName === 'line') return;
    box = target.getBoundingClientRect();
    window.scrollTo(window.scrollX, Math.max(0, window.scrollY + box.top + box.height / 2 - window.innerHeight / 2));
  }
  openAtFailure();

  // The checker's page is embedded whole (its own CSS and script); grow the frame to fit it.
  var frame = document.getElementById('checker');
  function fit() {
    try {
      var doc = frame.contentDocument;
      if (doc && doc.body) frame.style.height = (doc.body.scrollHeight + 40) + 'px';
    } catch (err) { /* leave the default height */ }
  }
  if (frame) {
    frame.addEventListener('load', fit);
    if (frame.contentDocument && frame.contentDocument.readyState === 'complete') fit();
  }
})();
`;
