// vibeD warm runtime for Node: runs as `node -e <this>`, blocks until the agent writes the app on stdin, then
// becomes `node <main> <args...>`. Why each step: docs/ARCHITECTURE.md, "Warm runtimes".
'use strict';
(() => {
  const load = require;
  const fs = load('fs');
  const path = load('path');
  // Pre-paid too: the builtin most Node servers load first (about 6 ms of their start). No file of the app can
  // shadow a builtin, so the app's require('http') resolves as under bare node.
  load('http');
  try { fs.writeSync(3, 'waiting\n'); } catch (e) { /* the agent then reports ready without waiting for this */ }
  const chunks = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      if (e.code === 'EAGAIN') continue;
      if (e.code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  // cwd NUL main NUL port NUL argc NUL args... NUL env entries (k=v) NUL ...
  const f = Buffer.concat(chunks).toString('utf8').split('\0');
  if (f.length < 4) process.exit(0); // the agent discarded this runtime
  const [cwd, main, port, argc] = f;
  const args = f.slice(4, 4 + Number(argc));
  const env = f.slice(4 + Number(argc), f.length - 1);

  process.chdir(cwd);
  for (const k of Object.keys(process.env)) delete process.env[k];
  for (const kv of env) {
    const i = kv.indexOf('=');
    process.env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  process.argv = [process.argv[0], path.resolve(main), ...args];
  process.execArgv = [];
  delete process._eval;
  // `node -e` puts its eval module's CommonJS names on globalThis; a bare ESM entry has none of them.
  // It also defines every builtin module as a lazy global (as the REPL does); bare node has only its real globals.
  for (const k of ['module', 'exports', 'require', '__filename', '__dirname']) delete globalThis[k];
  const realGlobals = new Set(['console', 'crypto', 'process']);
  for (const k of load('module').builtinModules) {
    if (!realGlobals.has(k) && Object.getOwnPropertyDescriptor(globalThis, k)?.configurable) delete globalThis[k];
  }

  // The listen event goes to the agent on fd 3 at once; the patch removes itself once $PORT listens.
  const net = load('net');
  const proto = net.Server.prototype;
  const ownListen = Object.getOwnPropertyDescriptor(proto, 'listen');
  const wanted = Number(port);
  let events = 3;
  function onListening() {
    const a = this.address();
    if (events < 0 || !a || typeof a !== 'object') return;
    try {
      fs.writeSync(events, 'listening ' + a.port + '\n');
    } catch (e) {
      // The agent stopped listening for events: its /proc probe still works.
    }
    if (a.port === wanted) {
      Object.defineProperty(proto, 'listen', ownListen);
      try { fs.closeSync(events); } catch (e) { /* already closed */ }
      events = -1;
    }
  }
  Object.defineProperty(proto, 'listen', {
    ...ownListen,
    value: function listen(...a) {
      this.once('listening', onListening);
      return ownListen.value.apply(this, a);
    },
  });
  // When this script returns, `node -e` puts back the `module` global it saw first; take it away again before any
  // callback of the app runs (the first tick queued runs first).
  const Module = load('module');
  process.nextTick(() => {
    if (globalThis.module === Module) delete globalThis.module;
  });
  Module.runMain();
})();
