// The test rig: s3rver behind tools/s3-verify, tools/lambda-emulator running
// bootstrap, the official S3 client, and PNG plans made here.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export const here = dirname(fileURLToPath(import.meta.url));
export const sourceRoot = process.env.LOCDET_SOURCE_ROOT || resolve(here, '../..');
export const bootstrap = process.env.LOCDET_BOOTSTRAP;

const children = new Set();
export function stopAll() {
  for (const c of children) c.kill('SIGTERM');
  children.clear();
}
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

// Start a child that prints one JSON line when ready.
function startJson(cmd, args, env, name) {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '', err = '';
    const timer = setTimeout(() => fail(new Error(`${name} did not start: ${err}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0 && !child.ready) {
        child.ready = true;
        clearTimeout(timer);
        ok({ child, info: JSON.parse(out.slice(0, nl)) });
      }
    });
    child.stderr.on('data', (d) => {
      err += d;
      if (process.env.LOCDET_TEST_VERBOSE) process.stderr.write(`[${name}] ${d}`);
      if (err.length > 200000) err = err.slice(-100000);
    });
    child.stderrText = () => err;
    child.on('exit', (code) => {
      children.delete(child);
      if (!child.ready) { clearTimeout(timer); fail(new Error(`${name} exited ${code}: ${err}`)); }
    });
  });
}

export function request(port, method, path, body, headers = {}) {
  return new Promise((ok, fail) => {
    const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(data ? { 'Content-Length': data.length } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    if (data) req.write(data);
    req.end();
  });
}

export const BUCKET = 'blueprints-in';
export const RESULTS = 'locdet-results';

export async function startS3() {
  const dir = mkdtempSync(join(tmpdir(), 'locdet-s3-'));
  const { child, info } = await startJson(process.execPath,
    [join(sourceRoot, 'tools/s3-verify/s3-verify.js'), '--dir', dir, '--bucket', BUCKET, '--bucket', RESULTS],
    { ...process.env, S3VERIFY_MODULES: here }, 's3-verify');
  const { S3Client } = await import('@aws-sdk/client-s3');
  const endpoint = `http://127.0.0.1:${info.port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const ctl = (method, path, body) => request(info.controlPort, method, path, body).then((r) => JSON.parse(r.text));
  return {
    endpoint, port: info.port, client, child,
    fault: (f) => ctl('POST', '/fault', f),
    down: () => ctl('POST', '/down'),
    up: () => ctl('POST', '/up'),
    reset: () => ctl('POST', '/reset'),
    log: () => ctl('GET', '/log'),
    stop: () => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); },
  };
}

export async function putObject(s3, key, body, bucket = BUCKET) {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

// The object as JSON, or null when it does not exist.
export async function getJson(s3, key, bucket = RESULTS) {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  try {
    const r = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await r.Body.transformToString());
  } catch (e) {
    if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return null;
    throw e;
  }
}

export async function listKeys(s3, prefix, bucket = RESULTS) {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const r = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (r.Contents || []).map((o) => o.Key).sort();
}

export function runtimeEnv(s3, extra = {}) {
  const env = {
    ...process.env,
    AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_SESSION_TOKEN: 'test-session-token',
    RESULTS_BUCKET_NAME: RESULTS, LOCDET_S3_ENDPOINT: s3.endpoint,
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

// Start the emulator; with a command it runs the runtime itself.
export async function startEmulator({ timeout = 30, env = process.env, command = [bootstrap] } = {}) {
  const args = [join(sourceRoot, 'tools/lambda-emulator/lambda-emulator.js'), '--timeout', String(timeout)];
  if (command) args.push('--', ...command);
  const { child, info } = await startJson(process.execPath, args, env, 'emulator');
  return {
    port: info.port, child,
    invoke: async (event, headers = {}) => {
      const r = await request(info.port, 'POST', '/2015-03-31/functions/function/invocations',
        typeof event === 'string' ? event : JSON.stringify(event), headers);
      let body;
      try { body = JSON.parse(r.text); } catch { body = r.text; }
      return { status: r.status, functionError: r.headers['x-amz-function-error'] || null, body };
    },
    state: async () => JSON.parse((await request(info.port, 'GET', '/__emulator/state')).text),
    logs: () => child.stderrText(),
    stop: () => child.kill('SIGTERM'),
  };
}

export function rssKb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}

// --- PNG plans -------------------------------------------------------------

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

// An 8-bit grayscale PNG from a pixel function (0 = ink, 255 = paper).
export function png(width, height, pixel) {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = pixel(x, y);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 0; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A floor plan: an outer wall and an inner wall with a door, so two rooms.
export function planPng(width = 480, height = 320, wall = 6) {
  const mid = Math.floor(width / 2);
  const door = [Math.floor(height / 2) - 20, Math.floor(height / 2) + 20];
  return png(width, height, (x, y) => {
    const m = 20;
    const inside = x >= m && x < width - m && y >= m && y < height - m;
    if (!inside) return 255;
    const outer = x < m + wall || x >= width - m - wall || y < m + wall || y >= height - m - wall;
    const inner = x >= mid - wall / 2 && x < mid + wall / 2 && !(y >= door[0] && y < door[1]);
    return outer || inner ? 0 : 255;
  });
}

// A PNG whose header is fine and whose data is not.
export function corruptPng() {
  const good = planPng(64, 64);
  const bad = Buffer.from(good);
  bad.fill(0x5a, 60, bad.length - 20);
  return bad;
}

// A large plan, a grid of rooms, built from two row templates (fast to make).
export function gridPlanPng(width, height, cell = 400, wall = 8) {
  const stride = width + 1;
  const wallRow = Buffer.alloc(stride, 0);
  const roomRow = Buffer.alloc(stride, 255);
  wallRow[0] = 0;
  roomRow[0] = 0;
  for (let x = 0; x < width; x += cell) roomRow.fill(0, 1 + x, 1 + Math.min(width, x + wall));
  roomRow.fill(0, 1 + width - wall, stride);
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const onWall = y % cell < wall || y >= height - wall;
    (onWall ? wallRow : roomRow).copy(raw, y * stride);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

// An image that takes longer than the half second the deadline test leaves
// for fetching and detecting: a 64-megapixel plan.
export function slowImage() {
  return gridPlanPng(8000, 8000);
}
