/**
 * The fixed parts of the checker's HTML page: its style sheet, the hover script, and the scroll to
 * the failure on load. No network use.
 */

export const PAGE_STYLE = `
body { font: 13px/1.4 system-ui, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 18px; }
h2 { font-size: 16px; margin: 24px 0 4px; }
h3 { font-size: 14px; margin: 12px 0 4px; }
.verdict-linearizable { color: #1a7f37; } .verdict-not-linearizable { color: #cf222e; } .verdict-unknown { color: #9a6700; }
.scroll { overflow-x: auto; border: 1px solid #ddd; background: #fafafa; }
.timeline { position: relative; }
.lanes { position: sticky; left: 0; z-index: 4; background: #fafafa; border-right: 1px solid #ddd; }
.client { position: absolute; left: 4px; font-size: 11px; color: #666; white-space: nowrap; }
.totals { font-size: 14px; font-weight: 600; }
#index ol { columns: 20em; list-style: none; padding: 0; margin: 4px 0 12px; font-size: 12px; }
#index li { break-inside: avoid; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.op { position: absolute; height: 20px; line-height: 18px; box-sizing: border-box; border: 1px solid #57606a; border-radius: 3px;
  background: #ddf4ff; font-size: 10px; overflow: hidden; white-space: nowrap; padding: 0 3px; cursor: default; }
.op.open { border-right-style: dashed; background: linear-gradient(90deg, #ddf4ff 70%, #fafafa); }
.op.linearized { background: #dafbe1; }
.op.pending { border: 2px solid #bf8700; }
.op.failed { border: 2px solid #cf222e; background: #ffebe9; }
.op:hover { outline: 2px solid #0969da; z-index: 2; }
.marker { position: absolute; width: 14px; height: 14px; margin: -9px 0 0 -7px; border-radius: 7px;
  background: #0969da; color: #fff; font-size: 8px; text-align: center; line-height: 14px; z-index: 3;
  pointer-events: none; }
svg.path { position: absolute; left: 0; top: 0; pointer-events: none; z-index: 1; }
#tip { position: fixed; display: none; max-width: 520px; background: #fff; border: 1px solid #888;
  padding: 6px 8px; box-shadow: 0 2px 8px rgba(0,0,0,.2); z-index: 10; white-space: pre-wrap; font-family: monospace; }
.legend span { margin-right: 12px; }
`;

/**
 * Shows the details of the operation under the pointer, from the JSON in #op-data. On load, scrolls
 * each part's time line sideways to its operation that could not be placed, and the page down to
 * the first of them, unless the page is embedded (in report.html's frame the outer page decides)
 * or an #anchor was asked for.
 */
export const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('op-data').textContent);
  var tip = document.getElementById('tip');
  document.addEventListener('mouseover', function (event) {
    var el = event.target.closest ? event.target.closest('[data-op]') : null;
    if (!el) { tip.style.display = 'none'; return; }
    var info = data[el.getAttribute('data-key')];
    if (!info) return;
    tip.textContent = info;
    tip.style.display = 'block';
  });
  document.addEventListener('mousemove', function (event) {
    tip.style.left = Math.min(event.clientX + 12, window.innerWidth - 540) + 'px';
    tip.style.top = (event.clientY + 14) + 'px';
  });
  var failures = document.querySelectorAll('[data-failed]');
  for (var i = 0; i < failures.length; i++) {
    var scroller = failures[i].closest('.scroll');
    if (scroller) scroller.scrollLeft = Math.max(0, failures[i].offsetLeft + failures[i].offsetWidth / 2 - scroller.clientWidth / 2);
  }
  var failed = failures[0];
  if (failed && window.top === window && !location.hash) {
    var box = failed.getBoundingClientRect();
    window.scrollTo(window.scrollX, Math.max(0, window.scrollY + box.top + box.height / 2 - window.innerHeight / 2));
  }
})();
`;
