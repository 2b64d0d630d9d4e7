// A GEMM helper thread (a nested Web Worker in the browser, a worker_threads Worker in Node), started by pool.ts.
// It holds one instance of the kernel module per team (per shared memory) and, between messages, sleeps in
// Atomics.wait on the control block (control.js): woken for a job, it computes its share of the rows with the same
// gemmRows the engine's thread runs. Plain JavaScript: Node runs it without a TypeScript loader.
//
// Messages: {type: 'init', ctrl, index, gen} once, then {type: 'attach', team, module, memory} and
// {type: 'detach', team}, each announced by a MAIL job so that the helper leaves its wait loop to read it.
// Replies: {type: 'ready'}, {type: 'attached', team} or {type: 'failed', message} to a message; {type: 'jobError',
// message} after a job that threw (the job's FAILED flag already told the engine's thread).

import {
  ACTIVE,
  ARGS,
  FAILED,
  GEN,
  KIND,
  KIND_GEMM,
  KIND_MAIL,
  PACK,
  PACK_STRIDE,
  PENDING,
  shareRows,
  TEAM,
} from './control.js';

/** The port to the engine's thread: the worker scope in a browser, worker_threads' parentPort in Node (a variable
 * specifier, so a bundler leaves the Node import alone; no top-level await, so any worker format bundles it). Node
 * queues the messages that arrive before the listener. */
const NODE_THREADS = 'node:worker_threads';
let port = typeof self === 'object' ? self : null;
function listen(fn) {
  if (port !== null) port.addEventListener('message', (e) => fn(e.data));
  else
    import(/* @vite-ignore */ NODE_THREADS).then((wt) => {
      port = wt.parentPort;
      port.on('message', fn);
    });
}

/** @type {Int32Array} */
let ctrl = new Int32Array(0);
let index = 0;
let seen = 0;
/** team id -> the kernel instance's exports */
const teams = new Map();

function runShare() {
  const ex = teams.get(ctrl[TEAM]);
  if (ex === undefined) throw new Error(`GEMM helper ${index}: no team ${ctrl[TEAM]}`);
  const a = ARGS;
  const m = ctrl[a];
  const [r0, r1] = shareRows(m, index, ctrl[ACTIVE]);
  if (r0 >= r1) return;
  const pack = ctrl[PACK] + index * ctrl[PACK_STRIDE];
  ex.gemmRows(
    m,
    ctrl[a + 1],
    ctrl[a + 2],
    ctrl[a + 3],
    ctrl[a + 4],
    ctrl[a + 5],
    ctrl[a + 6],
    ctrl[a + 7],
    ctrl[a + 8],
    ctrl[a + 9],
    ctrl[a + 10],
    pack,
    r0,
    r1,
  );
}

/** The wait loop: runs jobs until a MAIL job, then returns so the event loop delivers the message. */
function serve() {
  for (;;) {
    Atomics.wait(ctrl, GEN, seen);
    const gen = Atomics.load(ctrl, GEN);
    if (gen === seen) continue;
    seen = gen;
    const kind = ctrl[KIND];
    try {
      if (kind === KIND_GEMM && index < ctrl[ACTIVE]) runShare();
    } catch (e) {
      Atomics.store(ctrl, FAILED, 1);
      port.postMessage({ type: 'jobError', message: e instanceof Error ? e.message : String(e) });
    }
    if (Atomics.sub(ctrl, PENDING, 1) === 1) Atomics.notify(ctrl, PENDING);
    if (kind === KIND_MAIL) return;
  }
}

listen((msg) => {
  try {
    if (msg.type === 'init') {
      ctrl = msg.ctrl;
      index = msg.index;
      seen = msg.gen;
      port.postMessage({ type: 'ready' });
    } else if (msg.type === 'attach') {
      const instance = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } });
      teams.set(msg.team, instance.exports);
      port.postMessage({ type: 'attached', team: msg.team });
    } else if (msg.type === 'detach') {
      teams.delete(msg.team);
    }
  } catch (e) {
    port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
  serve();
});
