#!/usr/bin/env node
// lambda-emulator: the Lambda Runtime API (2018-06-01) and the invoke
// endpoint, for running `bootstrap` in tests. Node's standard library only.
//
// Written to AWS's documentation of the Runtime API and to the behaviour of
// the official emulator (aws-lambda-runtime-interface-emulator), which these
// machines cannot build:
//   GET  /2018-06-01/runtime/invocation/next          200 + event, headers
//        Lambda-Runtime-Aws-Request-Id, -Deadline-Ms, -Invoked-Function-Arn, -Trace-Id
//   POST /2018-06-01/runtime/invocation/{id}/response 202; 413 over 6,291,556 bytes;
//                                                     400 for an unknown id
//   POST /2018-06-01/runtime/invocation/{id}/error    202
//   POST /2018-06-01/runtime/init/error               202; the runtime must then exit
//   POST /2015-03-31/functions/function/invocations   invoke: queues the event, answers
//        the function's response, or its error with X-Amz-Function-Error: Unhandled
// The deadline is the function timeout (--timeout) after the invocation is
// handed out; past it the runtime is killed and the invoke answers
// Sandbox.Timedout, as Lambda does. A runtime that exits is started again at
// the next invoke (a cold start), and init errors are reported to the invoke.
//
// Usage: lambda-emulator.js [--port N] [--timeout SECONDS] [--init-timeout SECONDS]
//                           [--function-name NAME] [--memory MB] [-- COMMAND ARGS...]
// Without COMMAND it waits for a runtime started elsewhere with
// AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT. Prints {"port": N} once listening.
// GET /__emulator/state tells the test the runtime's pid, exits and counts;
// POST /__emulator/fail-next answers the runtime's next GET /next with 500.
'use strict';

const crypto = require('node:crypto');
const http = require('node:http');
const { spawn } = require('node:child_process');

const MAX_PAYLOAD = 6291556;

function parseArgs(argv) {
  const o = { port: 0, timeout: 3, initTimeout: 10, name: 'function', memory: 1769, command: null };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === '--') { o.command = argv.slice(i + 1); break; }
    if (a === '--port') o.port = Number(v), i++;
    else if (a === '--timeout') o.timeout = Number(v), i++;
    else if (a === '--init-timeout') o.initTimeout = Number(v), i++;
    else if (a === '--function-name') o.name = v, i++;
    else if (a === '--memory') o.memory = Number(v), i++;
    else throw new Error(`lambda-emulator: unknown argument ${a}`);
  }
  if (!(o.timeout > 0)) throw new Error('lambda-emulator: --timeout must be > 0');
  if (o.command && o.command.length === 0) o.command = null;
  return o;
}

const opts = parseArgs(process.argv);
const arn = `arn:aws:lambda:us-east-1:012345678912:function:${opts.name}`;

const queue = [];          // invocations waiting for the runtime
let current = null;        // the invocation the runtime holds
let waitingNext = null;    // the runtime's pending GET /next: {res}
let proc = null;           // the spawned runtime
let initState = 'none';    // none | initializing | ready | failed
let initTimer = null;
let port = 0;
let failNext = false;      // answer the next GET /next with 500 (container error)
const state = { pid: null, spawns: 0, exits: [], initErrors: [], invocations: 0, responses: 0, errors: 0 };

function json(res, status, obj, headers = {}) {
  const body = typeof obj === 'string' ? obj : JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

// Answer the invoke that is waiting on this invocation.
function finish(inv, result) {
  if (inv.done) return;
  inv.done = true;
  clearTimeout(inv.timer);
  if (current === inv) current = null;
  const headers = { 'X-Amz-Executed-Version': '$LATEST' };
  if (result.error) headers['X-Amz-Function-Error'] = 'Unhandled';
  if (inv.res) json(inv.res, 200, result.body, headers);
  dispatch();
}

function spawnRuntime() {
  if (!opts.command || proc) return;
  const env = {
    ...process.env,
    AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
    AWS_LAMBDA_FUNCTION_NAME: opts.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(opts.memory),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${opts.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'emulator',
    _HANDLER: 'bootstrap',
    LAMBDA_TASK_ROOT: process.cwd(),
  };
  const child = spawn(opts.command[0], opts.command.slice(1), { env, stdio: ['ignore', 'inherit', 'inherit'] });
  proc = child;
  state.pid = child.pid;
  state.spawns++;
  initState = 'initializing';
  clearTimeout(initTimer);
  initTimer = setTimeout(() => {
    if (proc === child && initState === 'initializing') {
      failAll({ errorType: 'Sandbox.Timedout', errorMessage: `Init timed out after ${opts.initTimeout.toFixed(2)} seconds` });
      child.kill('SIGKILL');
    }
  }, opts.initTimeout * 1000);
  child.on('exit', (code, signal) => {
    state.exits.push({ pid: child.pid, code, signal });
    if (proc !== child) return;
    proc = null;
    clearTimeout(initTimer);
    if (waitingNext) waitingNext = null;
    const what = signal ? `signal: ${signal}` : `exit status ${code}`;
    if (current && !current.done) {
      finish(current, { error: true, body: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${current.id} Error: Runtime exited with error: ${what}` } });
    } else if (initState !== 'ready' && queue.length) {
      const last = state.initErrors[state.initErrors.length - 1];
      failAll(last && last.pid === child.pid ? last.body
        : { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${what}` });
    }
    initState = 'none';
    if (queue.length) spawnRuntime();
  });
}

// Init failed: every waiting invoke gets the init error (Lambda tries init again later).
function failAll(body) {
  while (queue.length) finish(queue.shift(), { error: true, body });
}

function dispatch() {
  if (current || !waitingNext || !queue.length) return;
  const inv = queue.shift();
  const res = waitingNext.res;
  waitingNext = null;
  current = inv;
  inv.deadline = Date.now() + Math.round(opts.timeout * 1000);
  state.invocations++;
  inv.timer = setTimeout(() => {
    if (inv.done) return;
    const secs = opts.timeout.toFixed(2);
    const p = proc;
    finish(inv, { error: true, body: { errorType: 'Sandbox.Timedout', errorMessage: `${new Date().toISOString()} ${inv.id} Task timed out after ${secs} seconds` } });
    // Lambda resets the sandbox after a timeout: the runtime dies with it.
    if (p) p.kill('SIGKILL');
  }, inv.deadline - Date.now());
  const headers = {
    'Lambda-Runtime-Aws-Request-Id': inv.id,
    'Lambda-Runtime-Deadline-Ms': String(inv.deadline),
    'Lambda-Runtime-Invoked-Function-Arn': arn,
    'Lambda-Runtime-Trace-Id': inv.trace,
  };
  json(res, 200, inv.payload.toString('utf8'), headers);
}

async function runtimeApi(req, res, path) {
  if (initState === 'failed' && proc) {
    return json(res, 500, { errorMessage: 'State transition from Ready to InitError failed', errorType: 'Runtime.InvalidStateTransition' });
  }
  if (req.method === 'GET' && path === '/runtime/invocation/next') {
    if (failNext) {
      failNext = false;
      return json(res, 500, { errorMessage: 'Container error: the runtime must exit', errorType: 'Runtime.ContainerError' });
    }
    if (initState === 'initializing' || initState === 'none') {
      initState = 'ready';
      clearTimeout(initTimer);
    }
    if (current && !current.done) {
      // Asking for the next event without answering this one.
      finish(current, { error: true, body: { errorType: 'Runtime.NoResponse', errorMessage: `RequestId: ${current.id} ended without a response` } });
    }
    waitingNext = { res };
    req.socket.setTimeout(0);
    res.on('close', () => { if (waitingNext && waitingNext.res === res) waitingNext = null; });
    return dispatch();
  }
  const body = await readBody(req);
  let m;
  if (req.method === 'POST' && path === '/runtime/init/error') {
    let err;
    try { err = JSON.parse(body.toString('utf8')); } catch { err = { errorMessage: body.toString('utf8'), errorType: 'Runtime.Unknown' }; }
    const type = req.headers['lambda-runtime-function-error-type'] || err.errorType || 'Runtime.Unknown';
    const errBody = { errorMessage: err.errorMessage, errorType: err.errorType || type };
    state.initErrors.push({ pid: state.pid, type, body: errBody });
    initState = 'failed';
    failAll(errBody);
    return json(res, 202, { status: 'OK' });
  }
  if (req.method === 'POST' && (m = /^\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path))) {
    const id = decodeURIComponent(m[1]);
    if (!current || current.id !== id || current.done) {
      return json(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    }
    if (m[2] === 'response') {
      if (body.length > MAX_PAYLOAD) {
        finish(current, { error: true, body: { errorMessage: `Response payload size (${body.length} bytes) exceeded maximum allowed payload size (${MAX_PAYLOAD} bytes).`, errorType: 'Function.ResponseSizeTooLarge' } });
        return json(res, 413, { errorMessage: `Exceeded maximum allowed payload size (${MAX_PAYLOAD} bytes).`, errorType: 'RequestEntityTooLarge' });
      }
      state.responses++;
      finish(current, { error: false, body: body.toString('utf8') });
      return json(res, 202, { status: 'OK' });
    }
    let err;
    try { err = JSON.parse(body.toString('utf8')); } catch { err = { errorMessage: body.toString('utf8') }; }
    if (!err.errorType) err.errorType = req.headers['lambda-runtime-function-error-type'] || 'Runtime.Unknown';
    state.errors++;
    finish(current, { error: true, body: err });
    return json(res, 202, { status: 'OK' });
  }
  return json(res, 404, { errorMessage: `No ${req.method} ${path}`, errorType: 'NotFound' });
}

async function invoke(req, res) {
  const payload = await readBody(req);
  if (payload.length > MAX_PAYLOAD) {
    return json(res, 413, { Type: 'User', message: `Request must be smaller than ${MAX_PAYLOAD} bytes for the InvokeFunction operation` });
  }
  const inv = {
    id: crypto.randomUUID(), payload, res,
    trace: `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${crypto.randomBytes(12).toString('hex')};Parent=${crypto.randomBytes(8).toString('hex')};Sampled=0`,
  };
  if ((req.headers['x-amz-invocation-type'] || '') === 'Event') {
    inv.res = null;
    json(res, 202, '');
  }
  queue.push(inv);
  if (!proc) spawnRuntime();
  dispatch();
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const path = url.pathname;
  try {
    if (path.startsWith('/2018-06-01/')) return await runtimeApi(req, res, path.slice('/2018-06-01'.length));
    if (req.method === 'POST' && /^\/2015-03-31\/functions\/[^/]+\/invocations$/.test(path)) return await invoke(req, res);
    if (req.method === 'POST' && path === '/__emulator/fail-next') {
      failNext = true;
      if (waitingNext) { const w = waitingNext; waitingNext = null; failNext = false; json(w.res, 500, { errorMessage: 'Container error: the runtime must exit', errorType: 'Runtime.ContainerError' }); }
      return json(res, 200, {});
    }
    if (req.method === 'GET' && path === '/__emulator/state') return json(res, 200, { ...state, running: !!proc, initState, queued: queue.length });
    return json(res, 404, { errorMessage: `No ${req.method} ${path}`, errorType: 'NotFound' });
  } catch (e) {
    return json(res, 500, { errorMessage: String(e.stack || e), errorType: 'EmulatorError' });
  }
});
server.keepAliveTimeout = 0;
server.headersTimeout = 0;
server.requestTimeout = 0;
server.listen(opts.port, '127.0.0.1', () => {
  port = server.address().port;
  process.stdout.write(JSON.stringify({ port }) + '\n');
});
const stop = () => {
  if (proc) proc.kill('SIGKILL');
  server.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
