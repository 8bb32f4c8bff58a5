// The real graphql-ws client, driven by a JUnit test: one operation over graphql-transport-ws, every event
// printed as one JSON line on stdout ({"event": "connected" | "next" | "error" | "complete" | "closed"}).
// Usage: node graphql-ws-client.cjs <ws-url> '<spec as JSON>'
//   spec: { query, variables?, token?, connectionDelayMs?, id?, second?: {query, variables?}, max? }
// The test ends it by closing stdin.
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

const url = process.argv[2];
const spec = JSON.parse(process.argv[3]);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  retryAttempts: 0,
  lazy: false,
  connectionParams: async () => {
    if (spec.connectionDelayMs) {
      await new Promise((r) => setTimeout(r, spec.connectionDelayMs));
    }
    return spec.token ? { Authorization: 'Bearer ' + spec.token } : {};
  },
  generateID: spec.id ? () => spec.id : undefined,
  on: {
    connected: () => out({ event: 'connected' }),
    closed: (e) => out({ event: 'closed', code: e.code, reason: e.reason }),
  },
});

function subscribe(op, tag) {
  let n = 0;
  const stop = client.subscribe({ query: op.query, variables: op.variables || {} }, {
    next: (payload) => {
      out({ event: 'next', tag, payload });
      if (spec.max && ++n >= spec.max) {
        stop();
        out({ event: 'stopped', tag });
      }
    },
    error: (e) => out({ event: 'error', tag, error: Array.isArray(e) ? { errors: e } : e && e.code ? { code: e.code, reason: e.reason } : { message: String(e) } }),
    complete: () => out({ event: 'complete', tag }),
  });
}

subscribe(spec, 'first');
if (spec.second) {
  subscribe(spec.second, 'second');
}
process.stdin.resume();
process.stdin.on('end', () => {
  client.dispose();
  setTimeout(() => process.exit(0), 50);
});
