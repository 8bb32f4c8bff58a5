// A real Node app for the proxy's data-path tests: keep-alive visibility, SSE, large bodies both ways, WebSocket echo.
const http = require('http');
const crypto = require('crypto');

let nextConnection = 0;
let releaseSse = null;

function pattern(n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}
const BLOCK = pattern(64 * 1024);

function writeBig(res, n, done) {
  let sent = 0;
  function more() {
    while (sent < n) {
      const len = Math.min(BLOCK.length, n - sent);
      // the pattern depends only on the offset modulo 256, and 64 KiB is a multiple of 256
      const ok = res.write(len === BLOCK.length ? BLOCK : BLOCK.subarray(0, len));
      sent += len;
      if (!ok) { res.once('drain', more); return; }
    }
    done();
  }
  more();
}

const server = http.createServer((req, res) => {
  if (req.socket.vibedId === undefined) req.socket.vibedId = ++nextConnection;
  const url = new URL(req.url, 'http://app');
  switch (url.pathname) {
    case '/conn':
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ connection: req.socket.vibedId, host: req.headers.host,
        forwardedHost: req.headers['x-forwarded-host'] || null, query: url.search }));
      return;
    case '/sse':
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: one\n\n');
      releaseSse = () => { res.write('data: two\n\n'); res.end(); };
      return;
    case '/release':
      if (releaseSse) { releaseSse(); releaseSse = null; res.end('released'); }
      else { res.statusCode = 409; res.end('no stream open'); }
      return;
    case '/big': {
      const n = Number(url.searchParams.get('n'));
      const headers = { 'content-type': 'application/octet-stream' };
      if (url.searchParams.get('chunked') !== '1') headers['content-length'] = n;
      res.writeHead(200, headers);
      writeBig(res, n, () => res.end());
      return;
    }
    case '/digest': {
      const hash = crypto.createHash('sha256');
      let bytes = 0;
      req.on('data', d => { hash.update(d); bytes += d.length; });
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ bytes, sha256: hash.digest('hex'), chunked: req.headers['transfer-encoding'] === 'chunked' }));
      });
      return;
    }
    case '/cut': {
      // Announces an answer, sends part of it and drops the connection: an app that crashes mid-answer.
      const headers = { 'content-type': 'application/octet-stream' };
      if (url.searchParams.get('chunked') !== '1') headers['content-length'] = Number(url.searchParams.get('announce'));
      res.writeHead(200, headers);
      res.write(Buffer.alloc(Number(url.searchParams.get('n')), 120), () => setTimeout(() => res.socket.destroy(), 20));
      return;
    }
    case '/echo':
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      req.pipe(res);
      return;
    case '/empty':
      res.statusCode = 204;
      res.end();
      return;
    default:
      res.statusCode = 404;
      res.end('not here');
  }
});

// A minimal RFC 6455 echo endpoint, so the test needs no npm package: text frames come back prefixed with "echo:",
// binary frames unchanged, pings get pongs, a close is answered with a close.
server.on('upgrade', (req, socket, head) => {
  const accept = crypto.createHash('sha1')
    .update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
    + 'Sec-WebSocket-Accept: ' + accept + '\r\nX-Seen-Host: ' + req.headers.host + '\r\n\r\n');
  let buf = Buffer.from(head || []);
  let message = [];
  let messageOp = 0;
  const frame = (op, payload) => {
    let h;
    if (payload.length < 126) h = Buffer.from([0x80 | op, payload.length]);
    else if (payload.length < 65536) { h = Buffer.alloc(4); h[0] = 0x80 | op; h[1] = 126; h.writeUInt16BE(payload.length, 2); }
    else { h = Buffer.alloc(10); h[0] = 0x80 | op; h[1] = 127; h.writeBigUInt64BE(BigInt(payload.length), 2); }
    return Buffer.concat([h, payload]);
  };
  socket.on('data', d => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2) {
      const fin = (buf[0] & 0x80) !== 0;
      const op = buf[0] & 0x0f;
      let len = buf[1] & 0x7f;
      let off = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
      else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
      const masked = (buf[1] & 0x80) !== 0;
      const mask = masked ? buf.subarray(off, off + 4) : null;
      if (masked) off += 4;
      if (buf.length < off + len) return;
      const payload = Buffer.from(buf.subarray(off, off + len));
      if (masked) for (let i = 0; i < len; i++) payload[i] ^= mask[i & 3];
      buf = buf.subarray(off + len);
      if (op === 8) { socket.end(frame(8, payload)); return; }
      if (op === 9) { socket.write(frame(10, payload)); continue; }
      if (op !== 0) messageOp = op;
      message.push(payload);
      if (!fin) continue;
      const whole = Buffer.concat(message);
      message = [];
      socket.write(frame(messageOp, messageOp === 1 ? Buffer.from('echo:' + whole.toString()) : whole));
    }
  });
  socket.on('error', () => {});
});

server.listen(Number(process.env.PORT || 8080), process.env.HOST || '127.0.0.1');
