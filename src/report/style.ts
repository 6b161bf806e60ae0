/** The page's inline CSS. Shared classes keep each of the thousands of SVG elements small. */
export const PAGE_STYLE = `
:root{--follower:#d8dee4;--candidate:#e3b341;--leader:#2da44e;--get:#0969da;--put:#8250df;--append:#1b7c83;--delete:#bc4c00;--cas:#bf3989;--other:#6e7781;--red:#cf222e}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#24292f;margin:16px 20px;background:#fff}
h1{font-size:20px;margin:0 0 10px}
h2{font-size:16px;margin:22px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.status{display:inline-block;padding:1px 10px;border-radius:5px;color:#fff;font-size:16px;vertical-align:2px}
.status.pass{background:#1a7f37}.status.fail{background:var(--red)}.status.unknown{background:#9a6700}
table.summary{border-collapse:collapse;margin:4px 0 10px}
table.summary th{text-align:left;font-weight:500;color:#57606a;padding:1px 14px 1px 0;white-space:nowrap}
table.summary td{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;padding:1px 0}
.violation{border-left:4px solid var(--red);background:#ffebe9;padding:6px 12px;margin:8px 0;border-radius:0 6px 6px 0}
.violation p{margin:2px 0}
.noviolation{color:#1a7f37}
pre.explanation{font-size:12px;background:#fff8f7;border:1px solid #ffcecb;padding:6px 8px;overflow-x:auto;margin:6px 0 2px}
.replay code{background:#f6f8fa;border:1px solid #d0d7de;border-radius:5px;padding:2px 6px;font-size:13px;user-select:all}
.note{color:#57606a;font-style:italic;margin:4px 0}
.legend{font-size:12px;color:#57606a;margin:4px 0 8px;line-height:1.9}
.legend span{margin-right:14px;white-space:nowrap}
.sw{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:-1px;border-radius:2px}
.sw.follower{background:var(--follower)}.sw.candidate{background:var(--candidate)}.sw.leader{background:var(--leader)}
.sw.down{background:repeating-linear-gradient(45deg,#8c959f 0 2px,#d0d4d9 2px 5px)}.sw.restart{background:#24292f;width:3px}
.sw.net{background:#ffe2c6;border:1px solid #fb8f44}
.sw.pause{background:repeating-linear-gradient(45deg,#54aeff 0 2px,#ddf4ff 2px 5px)}.sw.slow-disk{background:#bc4c00;height:4px;vertical-align:1px}
.sw.clock-jump{background:#8250df;width:3px}.sw.trap{background:var(--red);width:3px}
.sw.delay{background:#fff8c5;border:1px solid #d4a72c}.sw.replay{background:#fbefff;border:1px solid #a475f9}.sw.clients-reach{background:#dafbe1;border:1px solid #4ac26b}
.sw.get{background:var(--get)}.sw.put{background:var(--put)}.sw.append{background:var(--append)}.sw.delete{background:var(--delete)}.sw.cas{background:var(--cas)}
.sw.open{border:1px dashed #57606a;background:#eaeef2}.sw.blocked{border:2px solid var(--red);background:#fff}.sw.viol{background:var(--red);width:3px}
.controls{margin:4px 0;font-size:13px;display:flex;gap:6px;align-items:center}
.controls button{font:inherit;padding:1px 9px;border:1px solid #d0d7de;background:#f6f8fa;border-radius:5px;cursor:pointer}
.tl{display:flex;border:1px solid #d0d7de;border-radius:6px;background:#fff}
.tl .scroller{overflow-x:auto;flex:1}
.tl svg{display:block}
.labels text{font:11px system-ui,sans-serif;text-anchor:end;fill:#24292f}
.labels .ls{font-style:italic;fill:#57606a}.labels .lc{fill:#57606a}.labels .unit{text-anchor:start;fill:#57606a;font-size:10px}
#timeline text{font:10px system-ui,sans-serif;fill:#57606a}
#timeline .tick{text-anchor:middle}
#timeline .minor{display:none}
#timeline.zoomed .minor{display:inline}
.grid{stroke:#e6eaef}.grid.minor{stroke:#f2f4f6}
.bg{fill:#f6f8fa}
.r{stroke:#fff;stroke-width:.5}
.r.follower{fill:var(--follower)}.r.candidate{fill:var(--candidate)}.r.leader{fill:var(--leader)}
#timeline .term{fill:#fff;text-anchor:middle;font-weight:600;pointer-events:none}
.down{fill:url(#hatch)}
.restart{stroke:#24292f;stroke-width:2.5}
.netov{fill:#fb8f44;fill-opacity:.11;pointer-events:none}
.netov.hit{fill-opacity:.22}
.nb{fill:#ffe2c6;stroke:#fb8f44}
.net.hold .nb{fill:#ddf4ff;stroke:#54aeff}.net.hold .netov{fill:#54aeff}
.net.delay .nb{fill:#fff8c5;stroke:#d4a72c}.net.delay .netov{fill:#d4a72c}
.net.replay .nb{fill:#fbefff;stroke:#a475f9}.net.replay .netov{fill:#a475f9}
.net.clients-reach .nb{fill:#dafbe1;stroke:#4ac26b}.net.clients-reach .netov{fill:#4ac26b}
.down.pause{fill:url(#hatch-pause)}
.nm.slow-disk{fill:#bc4c00}.nm.clock-stopped{fill:#8250df}
line.nm{stroke-width:2.5}line.nm.clock-jump{stroke:#8250df}line.nm.trap{stroke:var(--red);stroke-dasharray:3 2}
.nm:hover{stroke:#24292f;stroke-width:1.5}
#timeline .nl{fill:#6e3a00;pointer-events:none}
.o{fill:var(--c);--c:var(--other)}
.o.get{--c:var(--get)}.o.put{--c:var(--put)}.o.append{--c:var(--append)}.o.delete{--c:var(--delete)}.o.cas{--c:var(--cas)}
.o.open{fill-opacity:.15;stroke:var(--c);stroke-dasharray:4 2}
.o.unk{fill-opacity:.45}.o.nop{fill-opacity:.55}
.o.blocked{stroke:var(--red);stroke-width:2}
line.to{stroke-width:2.5;stroke:#bc4c00}line.to.give-up{stroke:var(--red)}
line.retry{stroke:#bc4c00;stroke-width:1.5;stroke-dasharray:3 2}
line.to:hover,line.retry:hover{stroke:#24292f}
.sw.to{background:#bc4c00;width:3px}.sw.giveup{background:var(--red);width:3px}.sw.retry{height:0;border-top:2px dashed #bc4c00;vertical-align:3px}
.o:hover,.r:hover,.down:hover,.net:hover .nb{stroke:#24292f;stroke-width:1.5}
.mk line{pointer-events:none;stroke-width:1.5}
.mk.heal line{stroke:#1a7f37;stroke-dasharray:5 3}
.mk.blocked line{stroke:var(--red);stroke-dasharray:3 3}
#timeline .mk.blocked text{fill:var(--red)}
.mk.viol line{stroke:var(--red);stroke-width:2}
#timeline .mk text{font-weight:600;font-size:11px}
#timeline .mk.heal text{fill:#1a7f37}#timeline .mk.viol text{fill:var(--red)}
.checknote{margin:4px 0}
.verdict-linearizable{color:#1a7f37;font-weight:600}.verdict-not-linearizable{color:var(--red);font-weight:600}.verdict-unknown{color:#9a6700;font-weight:600}
iframe#checker{width:100%;height:480px;border:1px solid #d0d7de;border-radius:6px}
#tip{position:fixed;display:none;z-index:10;max-width:560px;background:#24292f;color:#fff;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;padding:6px 8px;border-radius:6px;white-space:pre-wrap;pointer-events:none;box-shadow:0 2px 8px rgba(0,0,0,.25)}
`;
