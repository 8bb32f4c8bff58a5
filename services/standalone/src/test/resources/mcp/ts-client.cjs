// Drives vibeD's MCP server with the official TypeScript SDK client, over Streamable HTTP or over stdio (the
// `vibed mcp` bridge). It prints one JSON summary line; the JUnit test makes the assertions.
// usage: node ts-client.cjs <node_modules dir> http <mcp url> <token> <app name>
//        node ts-client.cjs <node_modules dir> stdio <java> <classpath> <server url> <token> <app name>
const { createRequire } = require('node:module');
const http = require('node:http');
const [modules, mode, ...rest] = process.argv.slice(2);
const sdk = createRequire(modules.replace(/\/?$/, '/'));
const { Client } = sdk('@modelcontextprotocol/sdk/client/index.js');

function get(url) {
  // The app's host is <id>.localhost: connect to loopback and send that Host, as a browser would.
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: u.port, path: '/', headers: { Host: u.host } }, res => {
      let body = '';
      res.on('data', c => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function main() {
  let transport, name;
  if (mode === 'http') {
    const [url, token, appName] = rest;
    name = appName;
    const { StreamableHTTPClientTransport } = sdk('@modelcontextprotocol/sdk/client/streamableHttp.js');
    transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  } else {
    const [java, classpath, server, token, appName] = rest;
    name = appName;
    const { StdioClientTransport } = sdk('@modelcontextprotocol/sdk/client/stdio.js');
    transport = new StdioClientTransport({
      command: java,
      args: ['-cp', classpath, 'dev.vibed.api.mcp.stdio.McpStdioBridge', '--server', server, '--token', token],
      stderr: 'inherit',
    });
  }
  const client = new Client({ name: 'vibed-ts-test', version: '1.0.0' });
  await client.connect(transport);
  // What arrived on the wire, in order, before the SDK dispatches it: the SDK hands a response to its caller at once
  // but defers notifications by a microtask, so a progress notification read in the same chunk as the response is
  // dropped by the client (typescript-sdk issue #2580). The test checks the server's order here.
  const wire = [];
  const dispatch = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (message.method === 'notifications/progress') {
      wire.push({ progress: message.params.progress });
    } else if (message.id !== undefined && (message.result !== undefined || message.error !== undefined)) {
      wire.push({ response: message.id });
    }
    dispatch(message, extra);
  };
  const summary = { protocolVersion: transport.protocolVersion ?? null, server: client.getServerVersion() };

  const { tools } = await client.listTools();
  summary.tools = tools.map(t => ({ name: t.name, hasOutputSchema: !!t.outputSchema, annotations: t.annotations ?? null }));

  const progress = [];
  const deployed = await client.callTool({
    name: 'deploy_app',
    arguments: {
      name,
      files: {
        'package.json': JSON.stringify({ name, scripts: { start: 'node server.js' } }),
        'server.js': "const http = require('http');\n" +
          "console.log('mcp-app listening on ' + process.env.PORT);\n" +
          "http.createServer((req, res) => res.end('hello from an MCP deploy')).listen(process.env.PORT, process.env.HOST);\n",
      },
    },
  }, undefined, { onprogress: p => progress.push(p), timeout: 120000, resetTimeoutOnProgress: true });
  summary.progress = progress;
  summary.wire = wire.slice(); // up to the deploy's response, which is the last entry
  summary.deploy = { isError: !!deployed.isError, structured: deployed.structuredContent ?? null, text: deployed.content?.[0]?.text };

  if (deployed.structuredContent) {
    const appId = deployed.structuredContent.app_id;
    summary.page = await get(deployed.structuredContent.url);
    const logs = await client.callTool({ name: 'get_logs', arguments: { app_id: appId, tail: 50 } });
    summary.logs = logs.structuredContent?.lines?.map(l => l.line) ?? [];
    const deleted = await client.callTool({ name: 'delete_app', arguments: { app_id: appId } });
    summary.deleted = deleted.structuredContent ?? null;
    summary.afterDelete = await get(deployed.structuredContent.url);
  }
  await client.ping();
  if (mode === 'http') {
    await transport.terminateSession();
  }
  await client.close();
  process.stdout.write(JSON.stringify(summary) + '\n');
}

main().catch(e => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
