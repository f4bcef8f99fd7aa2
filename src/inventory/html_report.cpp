// The HTML inventory report. The page is static text around the embedded
// JSON; its script draws the summary, the SVG charts, the sortable and
// filterable table and the detail view. A Content-Security-Policy forbids
// every fetch, so the file cannot make a network request even by mistake.
#include "inventory/html_report.h"

namespace sprawl::inventory::detail {
namespace {

// clang-format off
// The page is kept as one literal so that it reads as HTML; lines of CSS and
// JS are kept short, but some exceed 80 columns where splitting hurts.
constexpr std::string_view kHead = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>)html";

constexpr std::string_view kStyle = R"html(</title>
<style>
:root { --fg:#1d2330; --muted:#5f6b7a; --line:#d9dee5; --bg:#f6f7f9;
  --live:#c62828; --revoked:#2e7d32; --unknown:#ef8f00; --nc:#78909c; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, sans-serif; color:var(--fg);
  background:var(--bg); }
header { padding:16px 24px; background:#1d2330; color:#fff; }
header h1 { margin:0; font-size:20px; }
header p { margin:4px 0 0; color:#b8c1cc; font-size:12px; }
main { padding:16px 24px; }
.cards { display:flex; flex-wrap:wrap; gap:12px; margin-bottom:16px; }
.card { background:#fff; border:1px solid var(--line); border-radius:6px;
  padding:10px 16px; min-width:130px; }
.card b { display:block; font-size:24px; }
.card span { color:var(--muted); font-size:12px; }
.charts { display:flex; flex-wrap:wrap; gap:12px; margin-bottom:16px; }
.chart { background:#fff; border:1px solid var(--line); border-radius:6px;
  padding:8px 12px; }
.chart h3 { margin:0 0 6px; font-size:13px; }
.chart text { font-size:11px; fill:var(--fg); }
.filters { display:flex; gap:8px; flex-wrap:wrap; margin-bottom:8px; }
.filters input, .filters select { padding:4px 6px; font:inherit; }
table { border-collapse:collapse; width:100%; background:#fff; }
th, td { border-bottom:1px solid var(--line); padding:5px 8px;
  text-align:left; vertical-align:top; }
th { cursor:pointer; user-select:none; background:#eef1f5; white-space:nowrap; }
th[data-dir="asc"]::after { content:" \25B2"; }
th[data-dir="desc"]::after { content:" \25BC"; }
tbody tr { cursor:pointer; }
tbody tr:hover, tbody tr.selected { background:#eaf2ff; }
.pill { display:inline-block; padding:1px 7px; border-radius:9px;
  color:#fff; font-size:12px; background:var(--nc); }
.pill.live { background:var(--live); } .pill.revoked { background:var(--revoked); }
.pill.unknown { background:var(--unknown); }
.risk { font-weight:bold; }
#detail { background:#fff; border:1px solid var(--line); border-radius:6px;
  padding:12px 16px; margin-top:16px; }
#detail[hidden] { display:none; }
#detail dl { display:grid; grid-template-columns:max-content 1fr; gap:3px 14px; }
#detail dt { color:var(--muted); }
#detail dd { margin:0; word-break:break-all; }
code { font-family:ui-monospace, monospace; font-size:12px; }
.muted { color:var(--muted); }
</style>
</head>
<body data-errors="">
<script>
(function () {
  var errors = [];
  function record(message) {
    errors.push(String(message));
    document.body.setAttribute('data-errors', errors.join(' | '));
  }
  window.onerror = function (message, source, line) {
    record(message + ' (line ' + line + ')');
    return false;
  };
  window.addEventListener('unhandledrejection', function (e) {
    record('unhandled rejection: ' + e.reason);
  });
  window.sprawlRecordError = record;
})();
</script>
<header><h1 id="title">)html";

constexpr std::string_view kBody = R"html(</h1><p id="generated"></p></header>
<main>
<section class="cards" id="summary"></section>
<section class="charts" id="charts"></section>
<section>
<div class="filters">
<input id="q" type="search" placeholder="filter: provider, owner, path…" aria-label="filter">
<select id="f-status" aria-label="status"><option value="">any status</option></select>
<select id="f-provider" aria-label="provider"><option value="">any provider</option></select>
<select id="f-kind" aria-label="kind"><option value="">any kind</option></select>
<span class="muted" id="shown"></span>
</div>
<table id="identities">
<thead><tr>
<th data-key="id">ID</th><th data-key="risk">Risk</th><th data-key="status">Status</th>
<th data-key="provider">Provider</th><th data-key="kind">Kind</th><th data-key="owner">Owner</th>
<th data-key="tied_to">Tied to</th><th data-key="lifetime">Lifetime</th>
<th data-key="exposures">Exposures</th><th data-key="sources">Sources</th>
<th data-key="first_seen">First seen</th><th data-key="last_seen">Last seen</th>
</tr></thead>
<tbody></tbody>
</table>
</section>
<section id="detail" hidden></section>
</main>
<script type="application/json" id="inventory-data">)html";

constexpr std::string_view kScript = R"html(</script>
<script>
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('inventory-data').textContent);
  var ids = data.identities || [];
  var STATUS_COLORS = { live: '#c62828', revoked: '#2e7d32',
    unknown: '#ef8f00', not_checked: '#78909c' };
  var NUMERIC = { risk: 1, exposures: 1, sources: 1, first_seen: 1,
    last_seen: 1 };
  var state = { key: 'risk', dir: 'desc', q: '', status: '', provider: '',
    kind: '', selected: '' };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    return node;
  }
  function day(iso) { return iso ? iso.slice(0, 10) : '–'; }
  function time(iso) { return iso ? Date.parse(iso) : null; }
  function safeLink(url) { return /^https?:\/\//i.test(url || ''); }
  function sourcesOf(r) {
    var seen = {};
    r.exposures.forEach(function (e) { seen[e.source] = 1; });
    return Object.keys(seen).sort();
  }
  function count(list, key) {
    var m = {};
    list.forEach(function (x) { var k = key(x) || '(none)'; m[k] = (m[k] || 0) + 1; });
    return Object.keys(m).map(function (k) { return [k, m[k]]; })
      .sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
  }

  function summary() {
    var exposures = 0, live = 0, person = 0, standing = 0, high = 0;
    ids.forEach(function (r) {
      exposures += r.exposures.length;
      if (r.status === 'live') live++;
      if (r.tied_to === 'person') person++;
      if (r.lifetime === 'standing') standing++;
      if (r.risk >= 70) high++;
    });
    var box = document.getElementById('summary');
    [['count-identities', ids.length, 'identities'],
     ['count-live', live, 'live'], ['count-exposures', exposures, 'exposures'],
     ['count-high', high, 'risk ≥ 70'], ['count-person', person, 'tied to a person'],
     ['count-standing', standing, 'standing'],
     ['count-scans', (data.scans || []).length, 'scans']
    ].forEach(function (c) {
      box.appendChild(el('div', { 'class': 'card' }, [
        el('b', { id: c[0], text: String(c[1]) }), el('span', { text: c[2] })]));
    });
    document.body.setAttribute('data-identity-count', String(ids.length));
    document.getElementById('generated').textContent =
      'generated ' + data.generated_at + ' · ' + ids.length + ' identities · ' +
      exposures + ' exposures · secrets redacted';
  }

  function barChart(title, entries, id, colors) {
    var rowH = 18, labelW = 130, barW = 190, h = entries.length * rowH + 4;
    var max = entries.reduce(function (m, e) { return Math.max(m, e[1]); }, 1);
    var box = svg('svg', { width: labelW + barW + 40, height: h, role: 'img',
      'aria-label': title });
    entries.forEach(function (e, i) {
      var y = i * rowH + 2, w = Math.max(2, Math.round(e[1] / max * barW));
      var label = svg('text', { x: labelW - 6, y: y + 12, 'text-anchor': 'end' });
      label.textContent = e[0].length > 20 ? e[0].slice(0, 19) + '…' : e[0];
      box.appendChild(label);
      box.appendChild(svg('rect', { x: labelW, y: y, width: w, height: rowH - 5,
        fill: (colors && colors[e[0]]) || '#4a78c2' }));
      var n = svg('text', { x: labelW + w + 4, y: y + 12 });
      n.textContent = String(e[1]);
      box.appendChild(n);
    });
    return el('div', { 'class': 'chart', id: id },
      [el('h3', { text: title }), box]);
  }

  function timeChart() {
    var months = {};
    ids.forEach(function (r) {
      r.exposures.forEach(function (e) {
        if (e.exposed_at) {
          var m = e.exposed_at.slice(0, 7);
          months[m] = (months[m] || 0) + 1;
        }
      });
    });
    var keys = Object.keys(months).sort();
    if (keys.length) {
      // A continuous month axis: months without exposures show as gaps.
      var all = [], y = +keys[0].slice(0, 4), m = +keys[0].slice(5, 7);
      var end = keys[keys.length - 1];
      while (all.length < 600) {
        var k = y + '-' + (m < 10 ? '0' : '') + m;
        all.push(k);
        if (k >= end) break;
        if (++m > 12) { m = 1; y++; }
      }
      keys = all;
    }
    var W = 520, H = 150, pad = 24;
    var box = svg('svg', { width: W, height: H + pad, role: 'img',
      'aria-label': 'exposures over time' });
    if (!keys.length) {
      var t = svg('text', { x: 10, y: 20 });
      t.textContent = 'no exposure dates known';
      box.appendChild(t);
    }
    var max = keys.reduce(function (m, k) { return Math.max(m, months[k] || 0); }, 1);
    var bw = Math.max(1, Math.min(40, (W - 2 * pad) / Math.max(keys.length, 1) - 1));
    keys.forEach(function (k, i) {
      if (!months[k]) return;
      var h = Math.round(months[k] / max * (H - 20));
      var bar = svg('rect', { x: (pad + i * (bw + 1)).toFixed(1), y: H - h, width: bw.toFixed(1),
        height: h, fill: '#7a5cc2' });
      var tip = svg('title', {});
      tip.textContent = k + ': ' + months[k];
      bar.appendChild(tip);
      box.appendChild(bar);
    });
    if (keys.length) {
      var first = svg('text', { x: pad, y: H + 16 });
      first.textContent = keys[0];
      var last = svg('text', { x: W - pad, y: H + 16, 'text-anchor': 'end' });
      last.textContent = keys[keys.length - 1];
      box.appendChild(first);
      box.appendChild(last);
    }
    return el('div', { 'class': 'chart', id: 'chart-time' },
      [el('h3', { text: 'Exposures over time (by month)' }), box]);
  }

  function charts() {
    var box = document.getElementById('charts');
    box.appendChild(barChart('Identities by provider',
      count(ids, function (r) { return r.provider; }), 'chart-provider'));
    box.appendChild(barChart('Identities by kind',
      count(ids, function (r) { return r.kind; }), 'chart-kind'));
    box.appendChild(barChart('Identities by status',
      count(ids, function (r) { return r.status; }), 'chart-status',
      STATUS_COLORS));
    box.appendChild(timeChart());
  }

  function value(r, key) {
    switch (key) {
      case 'exposures': return r.exposures.length;
      case 'sources': return sourcesOf(r).length;
      case 'first_seen': return time(r.first_seen);
      case 'last_seen': return time(r.last_seen);
      default: return r[key];
    }
  }
  function compare(a, b) {
    var va = value(a, state.key), vb = value(b, state.key);
    var d = 0;
    if (va === null || va === undefined) d = (vb === null || vb === undefined) ? 0 : 1;
    else if (vb === null || vb === undefined) d = -1;
    else if (NUMERIC[state.key]) d = state.dir === 'asc' ? va - vb : vb - va;
    else d = state.dir === 'asc' ? String(va).localeCompare(String(vb))
                                 : String(vb).localeCompare(String(va));
    return d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }
  function matches(r) {
    if (state.status && r.status !== state.status) return false;
    if (state.provider && r.provider !== state.provider) return false;
    if (state.kind && r.kind !== state.kind) return false;
    if (!state.q) return true;
    var hay = [r.id, r.provider, r.kind, r.owner, r.status, r.tied_to,
      r.lifetime].concat(r.exposures.map(function (e) {
        return [e.path, e.repo, e.channel, e.issue, e.exposed_by].join(' ');
      })).join(' ').toLowerCase();
    return hay.indexOf(state.q.toLowerCase()) >= 0;
  }

  function row(r) {
    var tr = el('tr', { 'data-id': r.id }, [
      el('td', {}, [el('code', { text: r.id })]),
      el('td', { 'class': 'risk', text: String(r.risk) }),
      el('td', {}, [el('span', { 'class': 'pill ' + r.status, text: r.status })]),
      el('td', { text: r.provider }), el('td', { text: r.kind }),
      el('td', { text: r.owner || '–' }), el('td', { text: r.tied_to }),
      el('td', { text: r.lifetime }),
      el('td', { text: String(r.exposures.length) }),
      el('td', { text: sourcesOf(r).join(', ') }),
      el('td', { text: day(r.first_seen) }), el('td', { text: day(r.last_seen) })
    ]);
    if (r.id === state.selected) tr.className = 'selected';
    tr.addEventListener('click', function () { select(r.id); });
    return tr;
  }

  function render() {
    var table = document.getElementById('identities');
    var list = ids.filter(matches).sort(compare);
    var body = table.tBodies[0];
    while (body.firstChild) body.removeChild(body.firstChild);
    list.forEach(function (r) { body.appendChild(row(r)); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (th.getAttribute('data-key') === state.key) th.setAttribute('data-dir', state.dir);
      else th.removeAttribute('data-dir');
    });
    table.setAttribute('data-sort', state.key + ':' + state.dir);
    table.setAttribute('data-row-order', list.map(function (r) { return r.id; }).join(','));
    document.body.setAttribute('data-rendered-rows', String(list.length));
    document.getElementById('shown').textContent =
      list.length + ' of ' + ids.length + ' shown';
  }

  function saveHash() {
    var parts = ['sort=' + state.key + ':' + state.dir];
    ['status', 'provider', 'kind', 'q'].forEach(function (k) {
      if (state[k]) parts.push(k + '=' + encodeURIComponent(state[k]));
    });
    if (state.selected) parts.push('identity=' + state.selected);
    history.replaceState(null, '', '#' + parts.join('&'));
  }

  function readHash() {
    location.hash.replace(/^#/, '').split('&').forEach(function (p) {
      var i = p.indexOf('=');
      if (i < 0) return;
      var k = p.slice(0, i), v = decodeURIComponent(p.slice(i + 1));
      if (k === 'sort') {
        var s = v.split(':');
        state.key = s[0].replace(/^-/, '');
        state.dir = s[1] === 'asc' || s[1] === 'desc' ? s[1]
          : (s[0].charAt(0) === '-' ? 'desc' : (NUMERIC[state.key] ? 'desc' : 'asc'));
      } else if (k === 'identity') {
        state.selected = v;
      } else if (k in state) {
        state[k] = v;
      }
    });
  }

  function fill(selectId, values, current) {
    var s = document.getElementById(selectId);
    values.forEach(function (v) { s.appendChild(el('option', { value: v, text: v })); });
    s.value = current;
    return s;
  }

  function controls() {
    function uniq(key) {
      return count(ids, function (r) { return r[key]; }).map(function (e) { return e[0]; }).sort();
    }
    [['f-status', 'status'], ['f-provider', 'provider'], ['f-kind', 'kind']]
      .forEach(function (pair) {
        var s = fill(pair[0], uniq(pair[1]), state[pair[1]]);
        s.addEventListener('change', function () {
          state[pair[1]] = s.value; render(); saveHash();
        });
      });
    var q = document.getElementById('q');
    q.value = state.q;
    q.addEventListener('input', function () { state.q = q.value; render(); saveHash(); });
    Array.prototype.forEach.call(
      document.querySelectorAll('#identities th'), function (th) {
        th.addEventListener('click', function () {
          var key = th.getAttribute('data-key');
          if (state.key === key) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
          else { state.key = key; state.dir = NUMERIC[key] ? 'desc' : 'asc'; }
          render(); saveHash();
        });
      });
  }

  function timeline(r) {
    var dated = r.exposures.filter(function (e) { return e.exposed_at; });
    var W = 640, H = 60, pad = 20;
    var box = svg('svg', { width: W, height: H, role: 'img',
      'aria-label': 'exposure timeline', id: 'timeline' });
    box.appendChild(svg('line', { x1: pad, y1: 30, x2: W - pad, y2: 30,
      stroke: '#9aa5b1' }));
    if (!dated.length) return box;
    var t0 = time(dated[0].exposed_at), t1 = time(dated[dated.length - 1].exposed_at);
    var colors = { git: '#4a78c2', slack: '#7a5cc2', jira: '#1f8a70', file: '#8a6d1f' };
    dated.forEach(function (e) {
      var x = t1 > t0 ? pad + (time(e.exposed_at) - t0) / (t1 - t0) * (W - 2 * pad) : W / 2;
      var dot = svg('circle', { cx: x.toFixed(1), cy: 30, r: 6,
        fill: colors[e.source] || '#555' });
      var tip = svg('title', {});
      tip.textContent = day(e.exposed_at) + ' ' + e.source + ' ' + where(e);
      dot.appendChild(tip);
      box.appendChild(dot);
    });
    var a = svg('text', { x: pad, y: 55 }); a.textContent = day(dated[0].exposed_at);
    var b = svg('text', { x: W - pad, y: 55, 'text-anchor': 'end' });
    b.textContent = day(dated[dated.length - 1].exposed_at);
    box.appendChild(a); box.appendChild(b);
    return box;
  }

  function where(e) {
    if (e.source === 'slack') return '#' + (e.channel || '?');
    if (e.source === 'jira') return e.issue || e.path;
    var s = e.path + (e.line ? ':' + e.line : '');
    if (e.commit) s = e.commit.slice(0, 10) + ' ' + s;
    if (e.repo) s = e.repo + ' ' + s;
    return s;
  }

  function detail(r) {
    var box = document.getElementById('detail');
    while (box.firstChild) box.removeChild(box.firstChild);
    if (!r) { box.hidden = true; return; }
    box.hidden = false;
    box.setAttribute('data-id', r.id);
    box.appendChild(el('h2', { text: r.provider + ' ' + r.kind + ' ' + r.id }));
    var dl = el('dl');
    var f = r.risk_factors;
    [['Secret', r.secret], ['Owner', r.owner || 'unknown'],
     ['Status', r.status + (r.status_reason ? ' (' + r.status_reason + ')' : '')],
     ['Validation', r.validation + (r.validation_detail ? ' (' + r.validation_detail + ')' : '')],
     ['Tied to', r.tied_to + ' — ' + r.tied_to_reason],
     ['Lifetime', r.lifetime + ' — ' + r.lifetime_reason],
     ['Scopes', (r.scopes || []).join(', ') || '–'], ['Expiry', r.expiry || '–'],
     ['First / last seen', day(r.first_seen) + ' / ' + day(r.last_seen)],
     ['Still at HEAD', r.at_head === null ? 'unknown' : String(r.at_head)],
     ['Risk', r.risk + ' = 100 × ' + f.live + ' × (0.30×' + f.privilege +
      ' + 0.20×' + f.standing + ' + 0.20×' + f.breadth + ' + 0.15×' + f.age +
      ' + 0.15×' + f.place + ')'],
     ['Rules', r.rules.join(', ')], ['Remediation', r.remediation]
    ].concat(Object.keys(r.owner_fields).map(function (k) {
      return [k, r.owner_fields[k]];
    })).forEach(function (p) {
      dl.appendChild(el('dt', { text: p[0] }));
      dl.appendChild(el('dd', { text: String(p[1]) }));
    });
    box.appendChild(dl);
    box.appendChild(el('h3', { text: 'Exposure timeline' }));
    box.appendChild(timeline(r));
    var t = el('table', { id: 'exposures' }, [el('thead', {}, [el('tr', {},
      ['When', 'Source', 'Where', 'Exposed by', 'At HEAD', 'Place', 'Link']
        .map(function (h) { return el('th', { text: h }); }))])]);
    var tb = el('tbody');
    r.exposures.forEach(function (e) {
      var link = safeLink(e.link)
        ? el('a', { href: e.link, rel: 'noopener noreferrer', target: '_blank',
                    text: 'open' })
        : el('span', { 'class': 'muted', text: e.link || '–' });
      tb.appendChild(el('tr', {}, [
        el('td', { text: day(e.exposed_at) }), el('td', { text: e.source }),
        el('td', {}, [el('code', { text: where(e) })]),
        el('td', { text: e.exposed_by || '–' }),
        el('td', { text: e.still_at_head === null ? '?' : String(e.still_at_head) }),
        el('td', { text: e.visibility }), el('td', {}, [link])]));
    });
    t.appendChild(tb);
    box.appendChild(t);
  }

  function select(id) {
    state.selected = id;
    detail(ids.filter(function (r) { return r.id === id; })[0]);
    render();
    saveHash();
  }

  try {
    readHash();
    summary();
    charts();
    controls();
    render();
    if (state.selected) select(state.selected);
    document.body.setAttribute('data-ready', 'true');
  } catch (e) {
    window.sprawlRecordError(e && e.stack ? e.stack : e);
  }
})();
</script>
</body>
</html>
)html";
// clang-format on

std::string escape_html(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string html_report(std::string_view json, std::string_view title) {
  std::string title_html = escape_html(title);
  std::string out;
  out.reserve(kHead.size() + kStyle.size() + kBody.size() + kScript.size() +
              json.size() + 2 * title_html.size());
  out += kHead;
  out += title_html;
  out += kStyle;
  out += title_html;
  out += kBody;
  out += json;
  out += kScript;
  return out;
}

}  // namespace sprawl::inventory::detail
