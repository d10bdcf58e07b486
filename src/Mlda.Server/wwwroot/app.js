// The mlda serve page: every number on it comes from the server's own outputs (depth-npy, magma, ply, json),
// so what it shows is what `mlda infer` writes for the same image. three.js is served by this server (vendored).
import * as THREE from './vendor/three/three.module.js';

const $ = (id) => document.getElementById(id);
const plyStride = 2;
let current = null; // { depth: Float32Array, width, height, unit }

function setState(state, text) {
  document.body.dataset.state = state;
  $('status').textContent = text;
}

// ---------------------------------------------------------------- server outputs

function parseNpy(buffer) {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.slice(1, 6)) !== 'NUMPY') throw new Error('not a .npy answer');
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.slice(start, start + headerLength));
  const shape = header.match(/'shape': \((\d+), (\d+)\)/);
  if (!header.includes("'<f4'") || !shape) throw new Error('unexpected .npy header ' + header);
  const height = +shape[1], width = +shape[2];
  return { width, height, values: new Float32Array(buffer, start + headerLength, width * height) };
}

function parsePly(buffer) {
  const bytes = new Uint8Array(buffer);
  const marker = 'end_header\n';
  let end = -1;
  for (let i = 0; i < Math.min(bytes.length, 4096); i++) {
    if (bytes[i] === 0x65 && new TextDecoder().decode(bytes.slice(i, i + marker.length)) === marker) { end = i + marker.length; break; }
  }
  if (end < 0) throw new Error('not a PLY answer');
  const header = new TextDecoder().decode(bytes.slice(0, end));
  const count = +header.match(/element vertex (\d+)/)[1];
  const view = new DataView(buffer, end);
  const positions = new Float32Array(3 * count), colours = new Uint8Array(3 * count);
  for (let i = 0, o = 0; i < count; i++, o += 15) {
    positions[3 * i] = view.getFloat32(o, true);
    positions[3 * i + 1] = view.getFloat32(o + 4, true);
    positions[3 * i + 2] = view.getFloat32(o + 8, true);
    colours[3 * i] = view.getUint8(o + 12);
    colours[3 * i + 1] = view.getUint8(o + 13);
    colours[3 * i + 2] = view.getUint8(o + 14);
  }
  return { count, positions, colours };
}

async function depthRequest(image, format) {
  const response = await fetch(`v1/depth?format=${format}`, { method: 'POST', headers: { 'Content-Type': image.type }, body: image });
  if (!response.ok) {
    let message = `${response.status}`;
    try { message += ': ' + (await response.json()).error; } catch { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

// ---------------------------------------------------------------- point cloud views

// The camera frame (x right, y down, z forward) seen from just behind the camera, turned about the cloud's centre.
class CloudView {
  constructor(canvas) {
    this.canvas = canvas;
    this.yaw = 0; this.pitch = 0.15; this.distance = 1;
    this.cloud = null;
    let drag = null;
    canvas.addEventListener('pointerdown', (e) => { drag = { x: e.clientX, y: e.clientY }; canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener('pointerup', () => { drag = null; });
    canvas.addEventListener('pointermove', (e) => {
      if (!drag) return;
      this.yaw += (e.clientX - drag.x) * 0.01;
      this.pitch = Math.max(-1.5, Math.min(1.5, this.pitch + (e.clientY - drag.y) * 0.01));
      drag = { x: e.clientX, y: e.clientY };
      this.draw();
    });
    canvas.addEventListener('wheel', (e) => { e.preventDefault(); this.distance *= Math.exp(e.deltaY * 0.001); this.draw(); }, { passive: false });
  }

  show(cloud) {
    const z = Array.from({ length: cloud.count }, (_, i) => cloud.positions[3 * i + 2]).sort((a, b) => a - b);
    this.centre = z.length ? z[Math.floor(z.length / 2)] : 1;
    this.cloud = cloud;
    this.load(cloud);
    this.draw();
  }
}

const srgbToLinear = Array.from({ length: 256 }, (_, i) => {
  const c = i / 255;
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
});

class WebGlView extends CloudView {
  constructor(canvas) {
    super(canvas);
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setClearColor(0x111111);
    this.scene = new THREE.Scene();
    this.camera = new THREE.PerspectiveCamera(50, canvas.width / canvas.height, 0.01, 10000);
    this.group = new THREE.Group();
    this.scene.add(this.group);
    this.name = 'WebGL, three.js ' + THREE.REVISION;
  }

  load(cloud) {
    this.group.clear();
    const positions = new Float32Array(cloud.positions.length), colours = new Float32Array(cloud.colours.length);
    for (let i = 0; i < cloud.count; i++) {
      positions[3 * i] = cloud.positions[3 * i];
      positions[3 * i + 1] = -cloud.positions[3 * i + 1];
      positions[3 * i + 2] = this.centre - cloud.positions[3 * i + 2];
      for (let c = 0; c < 3; c++) colours[3 * i + c] = srgbToLinear[cloud.colours[3 * i + c]];
    }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
    geometry.setAttribute('color', new THREE.BufferAttribute(colours, 3));
    this.group.add(new THREE.Points(geometry, new THREE.PointsMaterial({ size: 2, sizeAttenuation: false, vertexColors: true })));
  }

  draw() {
    if (!this.cloud) return;
    this.group.rotation.set(this.pitch, this.yaw, 0);
    this.camera.position.set(0, 0, this.centre * this.distance);
    this.camera.lookAt(0, 0, 0);
    this.renderer.render(this.scene, this.camera);
  }
}

// Without WebGL (headless browsers, no GPU): the same view projected by hand onto a 2-D canvas, nearest point wins.
class CanvasView extends CloudView {
  constructor(canvas) {
    super(canvas);
    this.context = canvas.getContext('2d');
    this.name = '2-D canvas projection (no WebGL)';
  }

  load() {}

  draw() {
    if (!this.cloud) return;
    const { width, height } = this.canvas;
    const image = this.context.createImageData(width, height);
    const px = image.data;
    for (let i = 0; i < px.length; i += 4) { px[i] = px[i + 1] = px[i + 2] = 0x11; px[i + 3] = 255; }
    const zbuffer = new Float32Array(width * height).fill(Infinity);
    const f = height / (2 * Math.tan((50 * Math.PI / 180) / 2));
    const cy = Math.cos(this.yaw), sy = Math.sin(this.yaw), cp = Math.cos(this.pitch), sp = Math.sin(this.pitch);
    const eye = this.centre * this.distance;
    const { positions, colours, count } = this.cloud;
    for (let i = 0; i < count; i++) {
      // three.js axes as in WebGlView, turned by pitch (about x) then yaw (about y), seen from (0, 0, eye).
      let x = positions[3 * i], y = -positions[3 * i + 1], z = this.centre - positions[3 * i + 2];
      const x1 = x * cy + z * sy, z1 = -x * sy + z * cy;
      const y2 = y * cp - z1 * sp, z2 = y * sp + z1 * cp;
      const depth = eye - z2;
      if (depth <= 0.01) continue;
      const u = Math.round(width / 2 + f * x1 / depth), v = Math.round(height / 2 - f * y2 / depth);
      for (let dv = 0; dv < 2; dv++) for (let du = 0; du < 2; du++) {
        const uu = u + du, vv = v + dv;
        if (uu < 0 || vv < 0 || uu >= width || vv >= height) continue;
        const p = vv * width + uu;
        if (depth >= zbuffer[p]) continue;
        zbuffer[p] = depth;
        px[4 * p] = colours[3 * i]; px[4 * p + 1] = colours[3 * i + 1]; px[4 * p + 2] = colours[3 * i + 2];
      }
    }
    this.context.putImageData(image, 0, 0);
  }
}

function makeView() {
  const probe = document.createElement('canvas');
  if (probe.getContext('webgl2') || probe.getContext('webgl')) {
    try { return new WebGlView($('cloud')); } catch (e) { console.warn('WebGL view failed, using the 2-D canvas', e); }
  }
  const fresh = $('cloud').cloneNode(false); // a canvas that held a failed WebGL context cannot give a 2-D one
  $('cloud').replaceWith(fresh);
  return new CanvasView(fresh);
}

const view = makeView();
$('renderer').textContent = view.name;
document.body.dataset.renderer = view instanceof WebGlView ? 'webgl' : 'canvas2d';

// ---------------------------------------------------------------- the page

function formatDepth(value, unit) {
  return unit === 'm' ? `${value.toFixed(2)} m` : `${value.toFixed(3)} (relative: mono model, no metric scale)`;
}

function showStats(stats) {
  const rows = [
    ['image', `${stats.width}x${stats.height} (network ${stats.networkWidth}x${stats.networkHeight}, trained ${modes[stats.trainingMode] ?? stats.trainingMode})`],
    ['depth min / median / max', [stats.minDepth, stats.medianDepth, stats.maxDepth].map((v) => formatDepth(v, stats.unit).split(' (')[0]).join(' / ')],
    ['unit', stats.metric ? 'metres (stereo scale)' : 'relative'],
  ];
  $('stats').replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement('tr');
    for (const text of [k, v]) { const td = document.createElement('td'); td.textContent = text; tr.append(td); }
    return tr;
  }));
}

function loaded(img) {
  return new Promise((resolve, reject) => {
    if (img.complete && img.naturalWidth > 0) resolve();
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the browser cannot show ' + img.alt));
  });
}

async function predict(image, name) {
  if (!['image/jpeg', 'image/png'].includes(image.type)) {
    setState('error', `${name}: not a JPEG or PNG`);
    return;
  }
  setState('busy', `${name}: predicting…`);
  try {
    $('input').src = URL.createObjectURL(image);
    const depthAnswer = await depthRequest(image, 'depth-npy');
    const depth = parseNpy(await depthAnswer.arrayBuffer());
    current = { ...depth, unit: depthAnswer.headers.get('X-Depth-Unit') };
    $('depth').src = URL.createObjectURL(await (await depthRequest(image, 'magma')).blob());
    await Promise.all([loaded($('input')), loaded($('depth'))]);
    showStats(await (await depthRequest(image, 'json')).json());
    const cloud = parsePly(await (await depthRequest(image, `ply&ply-stride=${plyStride}`)).arrayBuffer());
    view.show(cloud);
    setState('done', `${name}: ${depth.width}x${depth.height}, ${cloud.count} points`);
  } catch (e) {
    setState('error', `${name}: ${e.message}`);
  }
}

function hover(event) {
  if (!current) return;
  const img = event.currentTarget;
  const x = Math.floor(event.offsetX * current.width / img.clientWidth);
  const y = Math.floor(event.offsetY * current.height / img.clientHeight);
  if (x < 0 || y < 0 || x >= current.width || y >= current.height) return;
  $('readout').textContent = `(${x}, ${y}): ${formatDepth(current.values[y * current.width + x], current.unit)}`;
}
$('depth').addEventListener('mousemove', hover);
$('input').addEventListener('mousemove', hover);

$('file').addEventListener('change', () => { const f = $('file').files[0]; if (f) predict(f, f.name); });
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const f = e.dataTransfer.files[0];
  if (f) predict(f, f.name);
});
for (const button of document.querySelectorAll('.example')) {
  button.addEventListener('click', async () => {
    const blob = await (await fetch(button.dataset.src)).blob();
    predict(blob, button.textContent);
  });
}

const modes = { M: 'mono (M)', S: 'stereo (S)', MS: 'mono+stereo (MS)' };
fetch('v1/model').then((r) => r.json()).then((m) => {
  const unit = m.stereoScale ? `metric depth (stereo scale x${m.stereoScale})` : 'relative depth (mono: no metric scale)';
  $('model').textContent = `network ${m.width}x${m.height}, trained ${modes[m.trainingMode] ?? m.trainingMode}, ${unit}; depth range ${m.minDepth}–${m.maxDepth}`;
  setState('ready', 'drop or pick an image');
}).catch((e) => setState('error', 'model: ' + e.message));
