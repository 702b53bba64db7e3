// The live map of `aisctl serve`, run in the browser. Plain JavaScript served as it is: no build
// step, no framework, no request outside aisctl. Vessels are drawn on one <canvas> from typed
// arrays (no DOM node per vessel) and found under the pointer through a screen-space grid, so
// 50,000 vessels pan and zoom smoothly. Every text that comes from data is set with textContent.
/* global document, window, fetch, performance, requestAnimationFrame, setTimeout, topojson, ResizeObserver, Path2D */

const FLEET_EVERY_MS = 2000;
const PIPELINE_EVERY_MS = 2000;
const MAX_LAT = 85.05112878;
const HIT_RADIUS_PX = 10;
const CELL_PX = 24;

// Ship type classes (AIS ship and cargo type, ITU-R M.1371 table 53).
const CLASSES = [
  { name: 'unknown', color: '#8a99a8' },
  { name: 'cargo', color: '#55c26b' },
  { name: 'tanker', color: '#ef5350' },
  { name: 'passenger', color: '#42a5f5' },
  { name: 'high speed', color: '#ffd54f' },
  { name: 'fishing', color: '#ffa040' },
  { name: 'tug / special', color: '#26c6da' },
  { name: 'pleasure / sailing', color: '#f06292' },
  { name: 'other', color: '#c5cae9' },
];

export function classOf(shipType) {
  if (shipType === null || shipType === undefined || shipType <= 0) return 0;
  if (shipType >= 70 && shipType <= 79) return 1;
  if (shipType >= 80 && shipType <= 89) return 2;
  if (shipType >= 60 && shipType <= 69) return 3;
  if (shipType >= 40 && shipType <= 49) return 4;
  if (shipType === 30) return 5;
  if ((shipType >= 31 && shipType <= 35) || (shipType >= 50 && shipType <= 59)) return 6;
  if (shipType === 36 || shipType === 37) return 7;
  return 8;
}

const TYPE_NAMES = { 30: 'fishing', 31: 'towing', 32: 'towing (large)', 33: 'dredging', 34: 'diving', 35: 'military', 36: 'sailing', 37: 'pleasure craft', 50: 'pilot', 51: 'search and rescue', 52: 'tug', 53: 'port tender', 55: 'law enforcement', 58: 'medical transport' };
function shipTypeText(t) {
  if (t === null || t === undefined) return 'n/a';
  const name = TYPE_NAMES[t] ?? (t >= 20 && t <= 29 ? 'wing in ground' : CLASSES[classOf(t)].name);
  return `${t} (${name})`;
}

const NAV_STATUS = ['under way using engine', 'at anchor', 'not under command', 'restricted manoeuvrability', 'constrained by draught', 'moored', 'aground', 'engaged in fishing', 'under way sailing'];

// Web Mercator, the world as the unit square: x east from -180°, y south from +85°.
const mercX = (lon) => (lon + 180) / 360;
function mercY(lat) {
  const l = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * (Math.PI / 180);
  return (1 - Math.log(Math.tan(l) + 1 / Math.cos(l)) / Math.PI) / 2;
}

const $ = (id) => document.getElementById(id);
const canvas = $('map');
const ctx = canvas.getContext('2d', { alpha: false });

const view = { cx: 0.5, cy: 0.42, scale: 512, width: 1, height: 1, dpr: 1 };

/** The fleet as columns; `order` lists vessel indexes grouped by class for one fill per colour. */
let fleet = { n: 0, mmsi: new Int32Array(0), x: new Float64Array(0), y: new Float64Array(0), dir: new Float32Array(0), cls: new Uint8Array(0), name: [], sog: [], age: [], order: new Int32Array(0), classStart: new Int32Array(CLASSES.length + 1), byMmsi: new Map() };
/** Land outlines, coarse (1:110m) and fine (1:50m): rings in world units and the same as one Path2D. */
const land = { coarse: null, fine: null };
let filterText = '';
let visible = null; // Uint8Array: 1 = passes the filter
let selected = null; // { mmsi, track: Float64Array of x,y pairs }
const stats = { frames: 0, lastDrawMs: 0, drawMs: [] };

// Hit-testing grid of the last frame: vessel indexes bucketed by screen cell (counting sort).
const grid = { cols: 0, rows: 0, start: new Int32Array(1), items: new Int32Array(0), sx: new Float32Array(0), sy: new Float32Array(0) };

function resize() {
  const r = canvas.getBoundingClientRect();
  view.dpr = window.devicePixelRatio || 1;
  view.width = Math.max(1, r.width);
  view.height = Math.max(1, r.height);
  canvas.width = Math.round(view.width * view.dpr);
  canvas.height = Math.round(view.height * view.dpr);
  view.scale = Math.max(view.scale, minScale());
  requestDraw();
}

const minScale = () => Math.max(view.width, view.height) / 1.2;
const toScreenX = (x) => (x - view.cx) * view.scale + view.width / 2;
const toScreenY = (y) => (y - view.cy) * view.scale + view.height / 2;

let drawPending = false;
function requestDraw() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    draw();
  });
}

/** Below this scale (px per world) the coarse outlines are drawn; they look the same there. */
const COARSE_BELOW = 2 ** 13;
/** Path2D holds float32 coordinates: past this scale a world-unit path would wobble by a pixel. */
const PATH_BELOW = 2 ** 20;

function drawLand() {
  const s = view.scale;
  const ox = view.width / 2 - view.cx * s;
  const oy = view.height / 2 - view.cy * s;
  const outlines = (s < COARSE_BELOW ? land.coarse : land.fine) ?? land.coarse ?? land.fine;
  if (outlines === null) return;
  ctx.fillStyle = '#22384d';
  ctx.strokeStyle = '#3b5a78';
  if (s < PATH_BELOW) {
    // The browser transforms and clips a prebuilt path natively: no JavaScript per vertex.
    ctx.setTransform(view.dpr * s, 0, 0, view.dpr * s, view.dpr * ox, view.dpr * oy);
    ctx.lineWidth = 0.7 / s;
    ctx.fill(outlines.path);
    ctx.stroke(outlines.path);
    ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
    return;
  }
  const x0 = (0 - ox) / s;
  const x1 = (view.width - ox) / s;
  const y0 = (0 - oy) / s;
  const y1 = (view.height - oy) / s;
  ctx.beginPath();
  for (const ring of outlines.rings) {
    if (ring.maxX < x0 || ring.minX > x1 || ring.maxY < y0 || ring.minY > y1) continue;
    const p = ring.points;
    let lx = p[0] * s + ox;
    let ly = p[1] * s + oy;
    ctx.moveTo(lx, ly);
    for (let i = 2; i < p.length; i += 2) {
      const sx = p[i] * s + ox;
      const sy = p[i + 1] * s + oy;
      // Vertices closer than half a pixel to the last one drawn add nothing at this zoom.
      if (Math.abs(sx - lx) + Math.abs(sy - ly) < 0.5 && i + 2 < p.length) continue;
      ctx.lineTo(sx, sy);
      lx = sx;
      ly = sy;
    }
    ctx.closePath();
  }
  ctx.lineWidth = 0.7;
  ctx.fill();
  ctx.stroke();
}

// Vessels are stamped pixel by pixel into one ImageData, then composited over the land in one
// drawImage: filling 50,000 little paths through the canvas rasteriser costs about a second a
// frame in software (headless, no GPU), stamping a few million pixels a few milliseconds.
const layer = document.createElement('canvas');
const layerCtx = layer.getContext('2d');
let layerImage = null;
let layerPixels = null;
/** Sprites by size (device px) and by 10° of direction: pixel offsets [dx, dy, dx, dy, ...]; index 36 is the square. */
const sprites = new Map();

function spritesFor(size) {
  let set = sprites.get(size);
  if (set !== undefined) return set;
  set = [];
  const r = Math.ceil(size) + 1;
  for (let b = 0; b < 36; b++) {
    const a = (b * 10 * Math.PI) / 180;
    const sin = Math.sin(a);
    const cos = Math.cos(a);
    // Tip ahead along the direction, base behind it, as a heading arrow.
    const tri = [
      [sin * size, -cos * size],
      [-sin * size * 0.6 + cos * size * 0.55, cos * size * 0.6 + sin * size * 0.55],
      [-sin * size * 0.6 - cos * size * 0.55, cos * size * 0.6 - sin * size * 0.55],
    ];
    const offsets = [];
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (inTriangle(dx, dy, tri)) offsets.push(dx, dy);
    if (offsets.length === 0) offsets.push(0, 0);
    set.push(Int16Array.from(offsets));
  }
  const half = Math.max(1, Math.round(size * 0.45));
  const square = [];
  for (let dy = -half; dy < half; dy++) for (let dx = -half; dx < half; dx++) square.push(dx, dy);
  set.push(Int16Array.from(square));
  sprites.set(size, set);
  return set;
}

function inTriangle(px, py, [[ax, ay], [bx, by], [cx, cy]]) {
  const d1 = (px - bx) * (ay - by) - (ax - bx) * (py - by);
  const d2 = (px - cx) * (by - cy) - (bx - cx) * (py - cy);
  const d3 = (px - ax) * (cy - ay) - (cx - ax) * (py - ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** CSS colour '#rrggbb' as the little-endian RGBA word ImageData holds. */
function pixelOf(hex) {
  const n = parseInt(hex.slice(1), 16);
  return (0xff << 24) | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff);
}
const CLASS_PIXELS = CLASSES.map((c) => pixelOf(c.color) >>> 0);

function draw() {
  const t0 = performance.now();
  const { width: w, height: h, dpr } = view;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#0b1a2a';
  ctx.fillRect(0, 0, w, h);
  drawLand();

  const s = view.scale;
  const ox = w / 2 - view.cx * s;
  const oy = h / 2 - view.cy * s;
  // Symbols grow with zoom from 3 px (whole oceans) to 8 px (a harbour).
  const size = Math.max(3, Math.min(8, Math.log2(s / 256) * 1.2));
  const pw = canvas.width;
  const ph = canvas.height;
  if (layerImage === null || layerImage.width !== pw || layerImage.height !== ph) {
    layer.width = pw;
    layer.height = ph;
    layerImage = layerCtx.createImageData(pw, ph);
    layerPixels = new Uint32Array(layerImage.data.buffer);
  }
  const px = layerPixels;
  px.fill(0);
  const set = spritesFor(Math.round(size * dpr));
  const n = fleet.n;
  if (grid.sx.length < n) {
    grid.sx = new Float32Array(n);
    grid.sy = new Float32Array(n);
  }
  const cols = Math.ceil(w / CELL_PX);
  const rows = Math.ceil(h / CELL_PX);
  const cellOf = new Int32Array(n);
  const counts = new Int32Array(cols * rows + 1);
  const { x, y, dir, order, classStart } = fleet;
  for (let c = 0; c < CLASSES.length; c++) {
    const colour = CLASS_PIXELS[c];
    for (let k = classStart[c]; k < classStart[c + 1]; k++) {
      const i = order[k];
      cellOf[i] = -1;
      if (visible !== null && visible[i] === 0) continue;
      const sx = x[i] * s + ox;
      const sy = y[i] * s + oy;
      if (sx < -10 || sy < -10 || sx > w + 10 || sy > h + 10) continue;
      const d = dir[i];
      const sprite = set[Number.isNaN(d) ? 36 : Math.round(d / 10) % 36];
      const cx = Math.round(sx * dpr);
      const cy = Math.round(sy * dpr);
      for (let j = 0; j < sprite.length; j += 2) {
        const qx = cx + sprite[j];
        const qy = cy + sprite[j + 1];
        if (qx >= 0 && qy >= 0 && qx < pw && qy < ph) px[qy * pw + qx] = colour;
      }
      grid.sx[i] = sx;
      grid.sy[i] = sy;
      if (sx >= 0 && sy >= 0 && sx < w && sy < h) {
        const cell = Math.floor(sy / CELL_PX) * cols + Math.floor(sx / CELL_PX);
        cellOf[i] = cell;
        counts[cell + 1]++;
      }
    }
  }
  layerCtx.putImageData(layerImage, 0, 0);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(layer, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  for (let c = 1; c < counts.length; c++) counts[c] += counts[c - 1];
  const items = new Int32Array(counts[counts.length - 1]);
  const fillAt = counts.slice(0, cols * rows);
  for (let i = 0; i < n; i++) if (cellOf[i] >= 0) items[fillAt[cellOf[i]]++] = i;
  grid.cols = cols;
  grid.rows = rows;
  grid.start = counts;
  grid.items = items;

  if (selected !== null) drawSelected(s, ox, oy, size);
  const ms = performance.now() - t0;
  stats.frames++;
  stats.lastDrawMs = ms;
  stats.drawMs.push(ms);
  if (stats.drawMs.length > 600) stats.drawMs.shift();
}

function drawSelected(s, ox, oy, size) {
  const t = selected.track;
  if (t !== null && t.length >= 4) {
    ctx.beginPath();
    ctx.moveTo(t[0] * s + ox, t[1] * s + oy);
    for (let i = 2; i < t.length; i += 2) ctx.lineTo(t[i] * s + ox, t[i + 1] * s + oy);
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  const i = fleet.byMmsi.get(selected.mmsi);
  if (i === undefined) return;
  ctx.beginPath();
  ctx.arc(fleet.x[i] * s + ox, fleet.y[i] * s + oy, size + 5, 0, Math.PI * 2);
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 2;
  ctx.stroke();
}

/** The vessel drawn nearest to (px, py) within HIT_RADIUS_PX, or -1. */
function hitTest(px, py) {
  let best = -1;
  let bestD = HIT_RADIUS_PX * HIT_RADIUS_PX;
  const c0 = Math.floor((px - HIT_RADIUS_PX) / CELL_PX);
  const c1 = Math.floor((px + HIT_RADIUS_PX) / CELL_PX);
  const r0 = Math.floor((py - HIT_RADIUS_PX) / CELL_PX);
  const r1 = Math.floor((py + HIT_RADIUS_PX) / CELL_PX);
  for (let r = Math.max(0, r0); r <= Math.min(grid.rows - 1, r1); r++) {
    for (let c = Math.max(0, c0); c <= Math.min(grid.cols - 1, c1); c++) {
      const cell = r * grid.cols + c;
      for (let k = grid.start[cell]; k < grid.start[cell + 1]; k++) {
        const i = grid.items[k];
        const dx = grid.sx[i] - px;
        const dy = grid.sy[i] - py;
        const d = dx * dx + dy * dy;
        if (d <= bestD) {
          bestD = d;
          best = i;
        }
      }
    }
  }
  return best;
}

function setFleet(data) {
  const n = data.count;
  const next = {
    n,
    mmsi: Int32Array.from(data.mmsi),
    x: new Float64Array(n),
    y: new Float64Array(n),
    dir: new Float32Array(n),
    cls: new Uint8Array(n),
    name: data.name,
    sog: data.sog,
    age: data.age,
    order: new Int32Array(n),
    classStart: new Int32Array(CLASSES.length + 1),
    byMmsi: new Map(),
  };
  for (let i = 0; i < n; i++) {
    next.x[i] = mercX(data.lon[i]);
    next.y[i] = mercY(data.lat[i]);
    next.dir[i] = data.dir[i] === null ? NaN : data.dir[i];
    next.cls[i] = classOf(data.shipType[i]);
    next.byMmsi.set(next.mmsi[i], i);
    next.classStart[next.cls[i] + 1]++;
  }
  for (let c = 1; c <= CLASSES.length; c++) next.classStart[c] += next.classStart[c - 1];
  const at = next.classStart.slice(0, CLASSES.length);
  for (let i = 0; i < n; i++) next.order[at[next.cls[i]]++] = i;
  fleet = next;
  applyFilter();
  const count = $('vessel-count');
  count.textContent = data.live.toLocaleString('en-US');
  count.dataset.count = String(data.live);
  document.title = `aisctl live map: ${data.live.toLocaleString('en-US')} vessels`;
  $('status').textContent = `${data.truncated ? `showing ${n.toLocaleString('en-US')} of ${data.total.toLocaleString('en-US')}; ` : ''}updated ${new Date(data.time).toLocaleTimeString('en-GB')}`;
  requestDraw();
}

function applyFilter() {
  const q = filterText.trim().toUpperCase();
  const info = $('filter-info');
  if (q === '') {
    visible = null;
    info.textContent = '';
    return;
  }
  const digits = /^\d+$/.test(q);
  visible = new Uint8Array(fleet.n);
  let matches = 0;
  for (let i = 0; i < fleet.n; i++) {
    const name = fleet.name[i];
    const hit = (digits && String(fleet.mmsi[i]).startsWith(q)) || (name !== null && name.toUpperCase().includes(q));
    if (hit) {
      visible[i] = 1;
      matches++;
    }
  }
  info.textContent = `${matches.toLocaleString('en-US')} match${matches === 1 ? '' : 'es'}`;
}

function addField(dl, label, value) {
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value;
  dl.append(dt, dd);
}

const num = (v, digits, unit) => (v === null || v === undefined ? 'n/a' : `${Number(v).toFixed(digits)}${unit}`);

async function openVessel(mmsi) {
  selected = { mmsi, track: null };
  const panel = $('vessel-panel');
  panel.hidden = false;
  panel.dataset.mmsi = String(mmsi);
  $('vessel-mmsi').textContent = String(mmsi);
  const i = fleet.byMmsi.get(mmsi);
  $('vessel-name').textContent = (i === undefined ? null : fleet.name[i]) ?? '(no name yet)';
  const dl = $('vessel-fields');
  dl.replaceChildren();
  $('vessel-track').textContent = 'loading…';
  requestDraw();
  try {
    const res = await fetch(`/v1/vessels/${mmsi}`);
    const body = await res.json();
    if (selected === null || selected.mmsi !== mmsi) return;
    if (!res.ok) {
      $('vessel-track').textContent = body.error ?? `HTTP ${res.status}`;
      return;
    }
    const live = body.live ?? {};
    const st = live.static ?? body.vessel ?? {};
    const p = live.position ?? null;
    $('vessel-name').textContent = st.name ?? '(no name yet)';
    addField(dl, 'MMSI', String(mmsi));
    addField(dl, 'call sign', st.callsign ?? 'n/a');
    addField(dl, 'IMO', st.imo === null || st.imo === undefined ? 'n/a' : String(st.imo));
    addField(dl, 'ship type', shipTypeText(st.shipType));
    addField(dl, 'destination', st.destination ?? 'n/a');
    if (p !== null) {
      addField(dl, 'position', `${num(p.lat, 5, '°')}, ${num(p.lon, 5, '°')}`);
      addField(dl, 'speed', num(p.sog, 1, ' kn'));
      addField(dl, 'course', num(p.cog, 1, '°'));
      addField(dl, 'heading', num(p.heading, 0, '°'));
      addField(dl, 'status', p.navStatus === null || p.navStatus === undefined ? 'n/a' : (NAV_STATUS[p.navStatus] ?? String(p.navStatus)));
      addField(dl, 'source', p.source ?? 'n/a');
      addField(dl, 'last report', p.ts === undefined || p.ts === null ? 'n/a' : `${p.ts} (${p.ageSeconds ?? '?'} s ago)`);
    }
  } catch (err) {
    $('vessel-track').textContent = `could not load the vessel: ${err}`;
    return;
  }
  try {
    const res = await fetch(`/v1/vessels/${mmsi}/track?since=6h`);
    const body = await res.json();
    if (selected === null || selected.mmsi !== mmsi) return;
    if (!res.ok) {
      $('vessel-track').textContent = `track: ${body.error ?? `HTTP ${res.status}`}`;
      return;
    }
    const pts = [];
    for (const f of body.features ?? []) {
      const coords = f.geometry.type === 'Point' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const [lon, lat] of coords) pts.push(mercX(lon), mercY(lat));
    }
    selected.track = Float64Array.from(pts);
    $('vessel-track').textContent = `track: ${body.count} positions in the last 6 hours${body.truncated ? ' (first page)' : ''}`;
    requestDraw();
  } catch (err) {
    $('vessel-track').textContent = `could not load the track: ${err}`;
  }
}

function closeVessel() {
  selected = null;
  $('vessel-panel').hidden = true;
  requestDraw();
}

function listInto(id, rows, empty) {
  const ul = $(id);
  ul.replaceChildren();
  if (rows.length === 0) {
    const li = document.createElement('li');
    li.textContent = empty;
    ul.append(li);
    return;
  }
  for (const [label, value, cls] of rows) {
    const li = document.createElement('li');
    const a = document.createElement('span');
    a.textContent = label;
    const b = document.createElement('span');
    b.textContent = value;
    if (cls) b.className = cls;
    li.append(a, b);
    ul.append(li);
  }
}

const ms = (v) => (v === null ? '–' : v < 10 ? `${v.toFixed(2)} ms` : `${Math.round(v).toLocaleString('en-US')} ms`);

function setPipeline(p) {
  $('pipe-rate').textContent = p.messages.ratePerSecond === null ? '–' : Math.round(p.messages.ratePerSecond).toLocaleString('en-US');
  $('pipe-p50').textContent = ms(p.latency.p50Ms);
  $('pipe-p99').textContent = `${p.latency.overflow ? '> ' : ''}${ms(p.latency.p99Ms)}`;
  $('pipe-window').textContent = `over the last ${Math.round(p.windowSeconds / 60)} min`;
  $('pipe-count').textContent = `${p.latency.count.toLocaleString('en-US')} msgs`;
  $('pipe-queued').textContent = `${p.queuedMessages.toLocaleString('en-US')} / ${p.inFlightBatches}`;
  listInto(
    'pipe-breakers',
    p.breakers.map((b) => [b.dependency, b.state, b.state === 'closed' ? 'ok' : 'bad']),
    'none yet',
  );
  listInto(
    'pipe-dlq',
    Object.entries(p.deadLetter).map(([state, n]) => [state, n.toLocaleString('en-US'), n > 0 ? 'warn' : 'ok']),
    'empty',
  );
  listInto(
    'pipe-feeds',
    p.feeds.map((f) => [
      f.feed,
      `${f.ratePerSecond === null ? '–' : Math.round(f.ratePerSecond)}/s${f.lastMessageAgeSeconds === null ? '' : `, ${Math.round(f.lastMessageAgeSeconds)} s ago`}${f.dropped > 0 ? `, ${f.dropped} dropped` : ''}`,
      f.dropped > 0 ? 'warn' : '',
    ]),
    'none (serve --feed)',
  );
  listInto(
    'pipe-sources',
    p.sources.map((s) => [s.source, s.quality.toFixed(2), s.quality < 0.5 ? 'warn' : '']),
    'none yet',
  );
}

async function poll(url, apply, everyMs) {
  try {
    const res = await fetch(url, { cache: 'no-store' });
    if (res.ok) apply(await res.json());
    else $('status').textContent = `${url}: HTTP ${res.status}`;
  } catch (err) {
    $('status').textContent = `${url}: ${err}`;
  }
  setTimeout(() => void poll(url, apply, everyMs), everyMs);
}

/**
 * A ring in world units. Rings that cross the antimeridian (Chukotka, Fiji) jump from 180° to
 * -180°; drawn as they are, that jump is a line across the whole map. Their longitudes are
 * unwrapped into one continuous run instead, and a copy shifted by one world width draws the
 * part beyond the edge.
 */
function projectRing(ring) {
  const points = new Float64Array(ring.length * 2);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let shift = 0;
  let prevLon = null;
  ring.forEach(([lon, lat], k) => {
    if (prevLon !== null && Math.abs(lon - prevLon) > 180) shift += lon < prevLon ? 360 : -360;
    prevLon = lon;
    const px = mercX(lon + shift);
    const py = mercY(lat);
    points[2 * k] = px;
    points[2 * k + 1] = py;
    minX = Math.min(minX, px);
    maxX = Math.max(maxX, px);
    minY = Math.min(minY, py);
    maxY = Math.max(maxY, py);
  });
  const out = [{ points, minX, minY, maxX, maxY }];
  const offset = maxX > 1 ? -1 : minX < 0 ? 1 : 0;
  if (offset !== 0) {
    const copy = points.map((v, i) => (i % 2 === 0 ? v + offset : v));
    out.push({ points: copy, minX: minX + offset, minY, maxX: maxX + offset, maxY });
  }
  return out;
}

async function loadOutlines(url) {
  const topo = await (await fetch(url)).json();
  const geo = topojson.feature(topo, topo.objects.land);
  const rings = [];
  for (const f of geo.features ?? [geo]) {
    const g = f.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const poly of polys) for (const ring of poly) rings.push(...projectRing(ring));
  }
  const path = new Path2D();
  for (const { points } of rings) {
    path.moveTo(points[0], points[1]);
    for (let i = 2; i < points.length; i += 2) path.lineTo(points[i], points[i + 1]);
    path.closePath();
  }
  return { rings, path };
}

async function loadLand() {
  try {
    land.coarse = await loadOutlines('/map/land-110m.json');
    requestDraw();
    land.fine = await loadOutlines('/map/land-50m.json');
    requestDraw();
  } catch (err) {
    $('status').textContent = `land outlines: ${err}`;
  }
}

function zoomAt(px, py, factor) {
  const wx = view.cx + (px - view.width / 2) / view.scale;
  const wy = view.cy + (py - view.height / 2) / view.scale;
  view.scale = Math.max(minScale(), Math.min(2 ** 24, view.scale * factor));
  view.cx = wx - (px - view.width / 2) / view.scale;
  view.cy = wy - (py - view.height / 2) / view.scale;
  clampView();
  requestDraw();
}

function clampView() {
  view.cx = Math.max(0, Math.min(1, view.cx));
  view.cy = Math.max(0, Math.min(1, view.cy));
}

function fitFleet() {
  if (fleet.n === 0) return;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < fleet.n; i++) {
    x0 = Math.min(x0, fleet.x[i]);
    x1 = Math.max(x1, fleet.x[i]);
    y0 = Math.min(y0, fleet.y[i]);
    y1 = Math.max(y1, fleet.y[i]);
  }
  view.cx = (x0 + x1) / 2;
  view.cy = (y0 + y1) / 2;
  const span = Math.max(x1 - x0, y1 - y0, 1e-4);
  view.scale = Math.max(minScale(), Math.min(2 ** 20, (Math.min(view.width, view.height) * 0.8) / span));
  requestDraw();
}

function wire() {
  let drag = null;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, cx: view.cx, cy: view.cy, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (drag === null) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) {
      drag.moved = true;
      canvas.classList.add('dragging');
    }
    if (!drag.moved) return;
    view.cx = drag.cx - dx / view.scale;
    view.cy = drag.cy - dy / view.scale;
    clampView();
    requestDraw();
  });
  canvas.addEventListener('pointerup', (e) => {
    const d = drag;
    drag = null;
    canvas.classList.remove('dragging');
    if (d === null || d.moved) return;
    const r = canvas.getBoundingClientRect();
    const i = hitTest(e.clientX - r.left, e.clientY - r.top);
    if (i >= 0) void openVessel(fleet.mmsi[i]);
    else closeVessel();
  });
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * 0.0015));
    },
    { passive: false },
  );
  $('filter').addEventListener('input', (e) => {
    filterText = e.target.value;
    applyFilter();
    requestDraw();
  });
  $('filter').addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || visible === null) return;
    const i = visible.indexOf(1);
    if (i < 0) return;
    view.cx = fleet.x[i];
    view.cy = fleet.y[i];
    view.scale = Math.max(view.scale, 2 ** 16);
    void openVessel(fleet.mmsi[i]);
  });
  $('vessel-close').addEventListener('click', closeVessel);
  new ResizeObserver(resize).observe(canvas);
  const legend = $('legend');
  for (const c of CLASSES) {
    const s = document.createElement('span');
    s.textContent = c.name;
    s.style.setProperty('--c', c.color);
    legend.append(s);
  }
}

// For tests and the frame-time measurement of scripts/screenshots.ts: where a vessel is drawn,
// and the time of drawing frames while the view pans and zooms.
window.aisctlMap = {
  stats,
  vesselCount: () => fleet.n,
  screenPositionOf(mmsi) {
    const i = fleet.byMmsi.get(mmsi);
    if (i === undefined) return null;
    const r = canvas.getBoundingClientRect();
    return { x: r.left + toScreenX(fleet.x[i]), y: r.top + toScreenY(fleet.y[i]) };
  },
  /** Resolves once the new view is drawn (and its vessels can be clicked). */
  setView(lon, lat, zoom) {
    view.cx = mercX(lon);
    view.cy = mercY(lat);
    view.scale = Math.max(minScale(), 256 * 2 ** zoom);
    requestDraw();
    // Animation frame callbacks run in the order asked: the draw requested above runs first.
    return new Promise((resolve) => requestAnimationFrame(() => resolve(stats.frames)));
  },
  fitFleet,
  /** Draws `frames` frames, panning and zooming a little each time; returns each frame's draw time (ms). */
  measureFrames(frames) {
    const times = [];
    return new Promise((resolve) => {
      const step = () => {
        if (times.length === frames) {
          resolve(times);
          return;
        }
        view.cx += 2 / view.scale;
        // This loop draws each frame itself: no extra frame from zoomAt's request.
        drawPending = true;
        zoomAt(view.width / 2, view.height / 2, times.length % 40 < 20 ? 1.02 : 1 / 1.02);
        const t0 = performance.now();
        draw();
        times.push(performance.now() - t0);
        drawPending = false;
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
  },
};

wire();
resize();
void loadLand();
let fitted = false;
void poll(
  '/v1/fleet',
  (data) => {
    setFleet(data);
    if (!fitted && data.count > 0) {
      fitted = true;
      fitFleet();
    }
  },
  FLEET_EVERY_MS,
);
void poll('/v1/pipeline', setPipeline, PIPELINE_EVERY_MS);
