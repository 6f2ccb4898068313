// InsightDash's glue (every page works without it; the numbers are in the cards' text):
// - draws each chart card with uPlot from the JSON its fragment carries, when it
//   appears (htmx swaps cards in one by one), and destroys charts that are swapped
//   out; redraws on resize and when the colour scheme changes;
// - imports a CSV file of any size in parts of 5,000 lines, with a progress bar.
/* global uPlot */
document.documentElement.classList.add('insight-js');
(() => {
  const charts = new Map();

  const css = (name, fallback) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

  /** The seconds back from their deltas. */
  const seconds = (x0, dx) => {
    const out = [x0];
    for (const d of dx) out.push(out[out.length - 1] + d);
    return out;
  };

  function options(data, width) {
    const accent = css('--accent', '#2f6fdd');
    const text = css('--text', '#222');
    const muted = css('--muted', '#666');
    const grid = css('--border', '#ddd');
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const series = [{}];
    const bands = [];
    if (data.kind === 'bars') {
      series.push(
        { label: 'Value', stroke: accent, fill: `${accent}99`, paths: uPlot.paths.bars({ size: [0.7, 60] }), points: { show: false } },
        { label: '7-bar average', stroke: text, width: 1, dash: [6, 4], points: { show: false } },
      );
      if (data.prev) series.push({ label: 'Previous period', stroke: muted, width: 1, alpha: 0.6, spanGaps: true, points: { show: false } });
    } else {
      // A line of a few points shows them (one point alone draws no line).
      series.push({ label: 'Average', stroke: accent, width: 2, spanGaps: false, points: { show: data.dx.length < 60, size: 6 } });
      if (data.min) {
        series.push({ label: 'Min', stroke: 'transparent', points: { show: false } }, { label: 'Max', stroke: 'transparent', points: { show: false } });
        bands.push({ series: [3, 2], fill: `${accent}22` });
      }
      series.push({ label: '7-point average', stroke: text, width: 1, dash: [6, 4], points: { show: false } });
      if (data.prev) series.push({ label: 'Previous period', stroke: muted, width: 1, alpha: 0.6, spanGaps: true, points: { show: false } });
    }
    // The unit is in the card's text; the axis keeps to short numbers (12k, 1.5M).
    const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 2 });
    return {
      width,
      height: 220,
      series,
      bands,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: () => [data.from, data.to] },
        // The goal always in view; bars measured from zero.
        y: {
          range: (_u, min, max) => {
            let lo = min ?? 0;
            let hi = max ?? 1;
            if (typeof data.goal === 'number') [lo, hi] = [Math.min(lo, data.goal), Math.max(hi, data.goal)];
            if (data.kind === 'bars') [lo, hi] = [Math.min(lo, 0), Math.max(hi, 0)];
            const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
            return [data.kind === 'bars' && lo === 0 ? 0 : lo - pad, hi + pad];
          },
        },
      },
      axes: [axis, { ...axis, values: (_u, ticks) => ticks.map((v) => compact.format(v)), size: 50 }],
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.lineWidth = 1 * devicePixelRatio;
            if (typeof data.goal === 'number') {
              const y = u.valToPos(data.goal, 'y', true);
              ctx.strokeStyle = css('--ok-border', '#2f7a4b');
              ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
            }
            ctx.setLineDash([]);
            ctx.strokeStyle = muted;
            ctx.fillStyle = text;
            ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
            // A label only where it does not run into the one before (every note is listed under the chart).
            let free = Number.NEGATIVE_INFINITY;
            for (const [t, note] of data.notes) {
              const x = u.valToPos(t, 'x', true);
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              const label = note.length > 24 ? `${note.slice(0, 23)}…` : note;
              const width = ctx.measureText(label).width;
              const at = Math.min(x + 3 * devicePixelRatio, u.bbox.left + u.bbox.width - width);
              if (at < free) continue;
              ctx.fillText(label, at, u.bbox.top + 12 * devicePixelRatio);
              free = at + width + 6 * devicePixelRatio;
            }
            ctx.restore();
          },
        ],
      },
    };
  }

  // A line's values come packed, two base64url characters each, quantized to 4,094 steps
  // of the chart's range (workers/insightdash/charts.ts `pack`); 4095 is "no value".
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  function unpack(packed, lo, hi) {
    const out = [];
    for (let i = 0; i < packed.length; i += 2) {
      const q = ALPHABET.indexOf(packed[i]) * 64 + ALPHABET.indexOf(packed[i + 1]);
      out.push(q > 4094 ? null : lo + (q / 4094) * (hi - lo));
    }
    return out;
  }

  function tableOf(data) {
    const x = seconds(data.x0, data.dx);
    if (data.kind === 'bars') {
      const bars = [x, data.avg, data.ma];
      return data.prev ? uPlot.join([bars, [seconds(data.prev.x0, data.prev.dx), data.prev.y]]) : bars;
    }
    const line = (packed) => unpack(packed, data.lo, data.hi);
    const main = [x, line(data.avg), ...(data.min ? [line(data.min), line(data.max)] : []), line(data.ma)];
    if (!data.prev) return main;
    return uPlot.join([main, [seconds(data.prev.x0, data.prev.dx), line(data.prev.y)]]);
  }

  function draw(figure) {
    const plot = figure.querySelector('.chart-plot');
    const json = figure.querySelector('script.chart-data');
    if (!plot || !json || charts.has(figure)) return;
    const data = JSON.parse(json.textContent);
    const width = Math.max(200, plot.clientWidth || figure.clientWidth);
    charts.set(figure, { chart: new uPlot(options(data, width), tableOf(data), plot), data });
  }

  function destroy(figure) {
    charts.get(figure)?.chart.destroy();
    charts.delete(figure);
  }

  const drawAll = (root) => {
    for (const f of root.querySelectorAll?.('figure.chart[data-chart]') ?? []) draw(f);
    if (root.matches?.('figure.chart[data-chart]')) draw(root);
  };

  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.removedNodes) {
        if (n.nodeType !== 1) continue;
        for (const f of charts.keys()) if (n === f || n.contains(f)) destroy(f);
      }
      for (const n of r.addedNodes) if (n.nodeType === 1) drawAll(n);
    }
  }).observe(document.body, { childList: true, subtree: true });
  drawAll(document);

  // Width follows the card; colours follow the scheme.
  let resizing;
  addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => {
      for (const [figure, { chart }] of charts) {
        const plot = figure.querySelector('.chart-plot');
        chart.setSize({ width: Math.max(200, plot.clientWidth), height: 220 });
      }
    }, 150);
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    for (const figure of [...charts.keys()]) {
      destroy(figure);
      draw(figure);
    }
  });

  // ------------------------------------------------------------ CSV import in parts

  const PART_LINES = 5000;
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('form[data-import]')) return;
    const file = form.querySelector('input[type=file]').files[0];
    if (!file) return;
    event.preventDefault();
    const progress = form.querySelector('progress');
    const result = form.querySelector('.import-result');
    const button = form.querySelector('button[type=submit]');
    const token = form.querySelector('input[name="_csrf"]').value;
    button.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    result.textContent = 'Reading the file…';
    const lines = (await file.text()).split(/\r?\n/);
    const total = { accepted: 0, rejected: 0, errors: [] };
    try {
      for (let start = 0; start < lines.length; start += PART_LINES) {
        const send = () =>
          fetch(`${form.dataset.parts}?first_line=${start + 1}`, {
            method: 'POST',
            // Marked as htmx's own requests are, so a refusal comes back as a short notice, not a page.
            headers: { 'content-type': 'text/csv; charset=utf-8', 'x-csrf-token': token, 'hx-request': 'true' },
            body: lines.slice(start, start + PART_LINES).join('\n'),
          });
        let res = await send();
        // Past the ingest rate limit (a very large file): wait as told, then send the same part again.
        while (res.status === 429) {
          const wait = Number(res.headers.get('retry-after')) || 10;
          result.textContent = `${total.accepted.toLocaleString('en')} points stored so far; waiting ${wait} s (the import’s rate limit)…`;
          await new Promise((resolve) => setTimeout(resolve, wait * 1000));
          res = await send();
        }
        if (!res.ok) {
          // The refusal's notice, without its status number in front.
          const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
          const notice = doc.querySelector('[data-status]') ?? doc.body;
          notice.querySelector('strong')?.remove();
          const text = notice.textContent.trim();
          throw new Error(text || `The server answered ${res.status}.`);
        }
        const part = await res.json();
        total.accepted += part.accepted;
        total.rejected += part.rejected;
        total.errors.push(...part.errors);
        progress.value = Math.min(1, (start + PART_LINES) / lines.length);
        result.textContent = `${total.accepted.toLocaleString('en')} points stored so far…`;
      }
      show(result, total);
      if (total.accepted > 0) await refreshLists();
    } catch (error) {
      result.textContent = `Stopped: ${error.message} (${total.accepted.toLocaleString('en')} points were stored before.)`;
    } finally {
      button.disabled = false;
    }
  });

  /** The home page's lists (dashboards, series, the annotation form's series) as they are after an import. */
  async function refreshLists() {
    try {
      const res = await fetch(location.pathname, { headers: { accept: 'text/html' } });
      if (!res.ok) return;
      const fresh = new DOMParser().parseFromString(await res.text(), 'text/html');
      for (const id of ['dashboards-h', 'series-h', 'notes-h']) {
        const current = document.querySelector(`section[aria-labelledby="${id}"]`);
        const next = fresh.querySelector(`section[aria-labelledby="${id}"]`);
        if (current && next) current.replaceWith(document.importNode(next, true));
      }
    } catch {
      // The lists stay as they were; a reload shows the new series.
    }
  }

  function show(result, total) {
    result.replaceChildren();
    const box = document.createElement('div');
    box.className = total.rejected > 0 ? 'notice warning' : 'notice';
    box.setAttribute('role', 'status');
    const p = document.createElement('p');
    p.textContent = `${total.accepted.toLocaleString('en')} point${total.accepted === 1 ? '' : 's'} stored${
      total.rejected > 0 ? `, ${total.rejected.toLocaleString('en')} line${total.rejected === 1 ? '' : 's'} refused:` : '.'
    }`;
    box.append(p);
    if (total.errors.length > 0) {
      const list = document.createElement('ul');
      list.className = 'import-errors';
      for (const e of total.errors.slice(0, 100)) {
        const li = document.createElement('li');
        li.textContent = `Line ${e.line}: ${e.reason}`;
        list.append(li);
      }
      if (total.errors.length > 100) {
        const li = document.createElement('li');
        li.textContent = `… and ${total.rejected - 100} more.`;
        list.append(li);
      }
      box.append(list);
    }
    result.append(box);
  }
})();
