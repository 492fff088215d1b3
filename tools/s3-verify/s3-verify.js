#!/usr/bin/env node
// s3-verify: a local S3 for tests that checks signatures the way S3 does.
//
// s3rver (npm) stores objects but never verifies SigV4. s3-verify runs s3rver
// in-process on an internal port and sits in front of it: every request's
// signature is recomputed with AWS's own signer (@smithy/signature-v4) from
// the known secret and compared; a mismatch is 403 SignatureDoesNotMatch, as
// S3 answers. The canonical path is rebuilt the way S3 builds it (decode the
// path, then encode each byte but A-Za-z0-9-._~ and '/'), so a client that
// encodes a key any other way fails here as it would on S3.
//
// It can also inject faults: the next N requests answered with a status
// (503 SlowDown...), or the whole service down (connections refused).
//
// Usage: s3-verify.js [--port N] [--control-port N] --dir DIR [--bucket NAME]...
//                     [--access-key S3RVER] [--secret S3RVER]
// Prints one JSON line when ready: {"port": N, "controlPort": N}.
// Control (HTTP on the control port):
//   POST /fault {"status":503,"count":2,"code":"SlowDown","method":"GET"}  queue a fault
//   POST /fault {"chunked":true,"count":1,"method":"GET"}     answer without Content-Length
//   POST /down  | POST /up                                                  refuse / accept connections
//   POST /reset                                                            clear faults and the log
//   GET  /log                                                              [{method, path, status, note}]
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { createRequire } = require('node:module');

const modulesFrom = process.env.S3VERIFY_MODULES ||
  path.resolve(__dirname, '../../tests/lambda');
const requireDep = createRequire(path.join(modulesFrom, 'package.json'));
const S3rver = requireDep('s3rver');
const { SignatureV4 } = requireDep('@smithy/signature-v4');
const { Hash } = requireDep('@smithy/hash-node');

function parseArgs(argv) {
  const o = { port: 0, controlPort: 0, dir: null, buckets: [], accessKey: 'S3RVER', secret: 'S3RVER' };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === '--port') o.port = Number(v), i++;
    else if (a === '--control-port') o.controlPort = Number(v), i++;
    else if (a === '--dir') o.dir = v, i++;
    else if (a === '--bucket') o.buckets.push(v), i++;
    else if (a === '--access-key') o.accessKey = v, i++;
    else if (a === '--secret') o.secret = v, i++;
    else throw new Error(`s3-verify: unknown argument ${a}`);
  }
  if (!o.dir) throw new Error('s3-verify: --dir is required');
  return o;
}

// AWS's URI encoding: every byte except unreserved characters (and '/').
function awsEncode(s) {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~\/]/.test(c)) out += c;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

// The path S3 signs: the decoded key, encoded by AWS's rules (no double encoding).
function canonicalPath(rawPath) {
  const decoded = rawPath.split('/').map((seg) => {
    const bytes = [];
    for (let i = 0; i < seg.length; i++) {
      if (seg[i] === '%') {
        if (!/^[0-9A-Fa-f]{2}$/.test(seg.slice(i + 1, i + 3))) throw new Error('bad percent-encoding');
        bytes.push(parseInt(seg.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        for (const b of Buffer.from(seg[i], 'utf8')) bytes.push(b);
      }
    }
    return Buffer.from(bytes).toString('utf8');
  });
  return decoded.map(awsEncode).join('/');
}

function parseQuery(qs) {
  const query = {};
  if (!qs) return query;
  for (const part of qs.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    if (k in query) query[k] = [].concat(query[k], v);
    else query[k] = v;
  }
  return query;
}

function s3Error(res, status, code, message) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
    `<Message>${message.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Message></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function parseAmzDate(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s || '');
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

// Returns null when the request verifies, else [status, code, message].
async function verify(opts, req, body) {
  const auth = req.headers.authorization;
  if (!auth) return [403, 'AccessDenied', 'Anonymous requests are not allowed here'];
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return [400, 'AuthorizationHeaderMalformed', `Cannot parse: ${auth}`];
  const [, accessKey, scopeDate, region, service, signedList, signature] = m;
  if (accessKey !== opts.accessKey) return [403, 'InvalidAccessKeyId', `Unknown key ${accessKey}`];
  if (service !== 's3') return [400, 'AuthorizationHeaderMalformed', `service ${service} is not s3`];
  const amzDate = req.headers['x-amz-date'];
  const date = parseAmzDate(amzDate);
  if (!date) return [403, 'AccessDenied', 'x-amz-date missing or malformed'];
  if (amzDate.slice(0, 8) !== scopeDate) return [403, 'SignatureDoesNotMatch', 'credential scope date differs from x-amz-date'];
  if (Math.abs(Date.now() - date.getTime()) > 15 * 60 * 1000) return [403, 'RequestTimeTooSkewed', 'clock skew over 15 minutes'];
  const contentSha = req.headers['x-amz-content-sha256'];
  if (!contentSha) return [400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256'];
  if (contentSha !== 'UNSIGNED-PAYLOAD' && !contentSha.startsWith('STREAMING-')) {
    const actual = crypto.createHash('sha256').update(body).digest('hex');
    if (actual !== contentSha) return [400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.'];
  }
  const signed = signedList.split(';');
  if (!signed.includes('host')) return [403, 'SignatureDoesNotMatch', 'host is not signed'];
  const headers = {};
  for (const h of signed) {
    if (req.headers[h] === undefined) return [403, 'SignatureDoesNotMatch', `signed header ${h} was not sent`];
    headers[h] = Array.isArray(req.headers[h]) ? req.headers[h].join(',') : req.headers[h];
  }
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  let cpath;
  try {
    cpath = canonicalPath(rawPath);
  } catch (e) {
    return [400, 'InvalidURI', `Couldn't parse the specified URI: ${e.message}`];
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: opts.accessKey, secretAccessKey: opts.secret },
    region, service, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: false,
  });
  const signedReq = await signer.sign({
    method: req.method, protocol: 'http:', hostname: (req.headers.host || '').split(':')[0],
    path: cpath, query: parseQuery(q < 0 ? '' : req.url.slice(q + 1)), headers,
  }, { signingDate: date, signableHeaders: new Set(signed), signingRegion: region, signingService: service });
  const expected = /Signature=([0-9a-f]{64})/.exec(signedReq.headers.authorization)[1];
  if (expected !== signature) {
    return [403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'];
  }
  return null;
}

async function main() {
  const opts = parseArgs(process.argv);
  fs.mkdirSync(opts.dir, { recursive: true });
  const backend = new S3rver({
    port: 0, address: '127.0.0.1', silent: true, directory: opts.dir,
    configureBuckets: opts.buckets.map((name) => ({ name, configs: [] })),
  });
  const backendAddr = await backend.run();

  const faults = [];
  let log = [];
  const sockets = new Set();

  const front = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const entry = { method: req.method, path: req.url, status: 0, note: '' };
      log.push(entry);
      let bad;
      try {
        bad = await verify(opts, req, body);
      } catch (e) {
        bad = [500, 'InternalError', `s3-verify: ${e.message}`];
      }
      if (bad) {
        entry.status = bad[0];
        entry.note = `${bad[1]}: ${bad[2]}`;
        return s3Error(res, ...bad);
      }
      const fi = faults.findIndex((f) => !f.method || f.method === req.method);
      const fault = fi >= 0 ? faults[fi] : null;
      if (fault && --fault.count <= 0) faults.splice(fi, 1);
      if (fault && !fault.chunked) {
        entry.status = fault.status;
        entry.note = `injected ${fault.code}`;
        return s3Error(res, fault.status, fault.code, fault.message || 'Please reduce your request rate.');
      }
      const fwd = http.request({
        host: '127.0.0.1', port: backendAddr.port, method: req.method, path: req.url,
        headers: { ...req.headers, 'content-length': body.length },
      }, (up) => {
        entry.status = up.statusCode;
        const headers = { ...up.headers };
        if (fault) {
          // No Content-Length: the body comes chunked, its size unknown until the end.
          delete headers['content-length'];
          entry.note = 'injected chunked';
        }
        res.writeHead(up.statusCode, headers);
        up.pipe(res);
      });
      fwd.on('error', (e) => s3Error(res, 500, 'InternalError', `s3-verify backend: ${e.message}`));
      fwd.end(body);
    });
  });
  front.keepAliveTimeout = 60000;
  front.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (srv, port) => new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv.address().port));
  });
  let frontPort = await listen(front, opts.port);
  let up = true;

  const control = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const send = (status, obj) => {
        const b = JSON.stringify(obj);
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(b);
      };
      try {
        const arg = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        if (req.method === 'POST' && req.url === '/fault') {
          faults.push({ status: arg.status || 503, count: arg.count || 1, code: arg.code || 'SlowDown',
            method: arg.method || null, message: arg.message, chunked: !!arg.chunked });
          return send(200, { faults });
        }
        if (req.method === 'POST' && req.url === '/down') {
          if (up) {
            up = false;
            await new Promise((r) => { front.close(() => r()); for (const s of sockets) s.destroy(); });
          }
          return send(200, { up });
        }
        if (req.method === 'POST' && req.url === '/up') {
          if (!up) {
            frontPort = await listen(front, frontPort);
            up = true;
          }
          return send(200, { up });
        }
        if (req.method === 'POST' && req.url === '/reset') {
          faults.length = 0;
          log = [];
          return send(200, {});
        }
        if (req.method === 'GET' && req.url === '/log') return send(200, log);
        return send(404, { error: `no ${req.method} ${req.url}` });
      } catch (e) {
        return send(400, { error: e.message });
      }
    });
  });
  const controlPort = await listen(control, opts.controlPort);
  process.stdout.write(JSON.stringify({ port: frontPort, controlPort }) + '\n');

  const stop = () => {
    for (const s of sockets) s.destroy();
    front.close();
    control.close();
    backend.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
