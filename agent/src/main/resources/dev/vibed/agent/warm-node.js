// vibeD warm runtime for Node: runs as `node -e <this>`, blocks until the agent writes the app on stdin, then
// becomes `node <main> <args...>`. Why each step: docs/ARCHITECTURE.md, "Warm runtimes".
'use strict';
(() => {
  const load = require;
  const fs = load('fs');
  const path = load('path');
  // Pre-paid too: the builtin most Node servers load first (about 6 ms of their start). No file of the app can
  // shadow a builtin, so the app's require('http') resolves as under bare node.
  const http = load('http');
  const net = load('net');
  primeHttp(waitForApp);

  /**
   * One HTTP exchange with itself on a loopback port it then closes: V8 compiles node's request-parsing and
   * response code on first use, which a bare app pays on its first request (4 to 10 ms here). Nothing of it is
   * left to the app (the server and socket are closed before it runs); any failure only skips the priming.
   */
  function primeHttp(done) {
    // node's Socket destroy compares the socket with process.stderr, and that getter creates the stderr stream (a
    // pipe handle a bare app does not start with); the getter is set aside while the priming runs.
    const stderr = Object.getOwnPropertyDescriptor(process, 'stderr');
    Object.defineProperty(process, 'stderr', { configurable: true, enumerable: stderr.enumerable, value: undefined });
    let finished = false;
    let server = null;
    let socket = null;
    const guard = setTimeout(() => finish(), 2000);
    function finish() {
      if (finished) return;
      finished = true;
      clearTimeout(guard);
      // Closing a handle closes its descriptor at once: no port of the priming is open while the app runs.
      if (socket) socket.destroy();
      if (server) server.close();
      afterHandlesClosed(() => {
        Object.defineProperty(process, 'stderr', stderr);
        done();
      }, 0);
    }
    // A closed handle is still an active resource until its close callback has run, a loop turn or two later; the
    // app starts with none, as under a bare start.
    function afterHandlesClosed(fn, turns) {
      const open = typeof process.getActiveResourcesInfo === 'function'
        && process.getActiveResourcesInfo().some((r) => r.startsWith('TCP'));
      if (open && turns < 50) setImmediate(() => afterHandlesClosed(fn, turns + 1));
      else fn();
    }
    try {
      server = http.createServer((req, res) => { req.resume(); res.end('ok'); });
      server.on('error', finish);
      server.listen(0, '127.0.0.1', () => {
        socket = net.connect(server.address().port, '127.0.0.1');
        socket.on('error', finish);
        socket.on('data', () => {});
        socket.on('close', finish);
        // A keep-alive request and a closing one: the two ways an app's requests end.
        socket.end('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
          + 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      });
    } catch (e) {
      setImmediate(finish); // the app starts from the event loop either way
    }
  }

  // Runs from the priming's last callback: the app's main module then runs from the event loop rather than before
  // it, as after any asynchronous start-up; its own ticks and promises still run before anything else it queued.
  function waitForApp() {
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
    // `node -e` puts back the `module` global it saw first when its script returns, which it has by now; should this
    // ever run inside that script again, take it away before any callback of the app runs (the first tick queued runs first).
    const Module = load('module');
    process.nextTick(() => {
      if (globalThis.module === Module) delete globalThis.module;
    });
    Module.runMain();
  }
})();
