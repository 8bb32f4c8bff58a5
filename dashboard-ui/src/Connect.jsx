// How to reach this vibeD from elsewhere: MCP clients (the remote URL with a token, or the stdio command), the
// CLI and REST, all with this server's real address filled in. Without auth the token parts are left out.
import { Code } from './components.jsx';

export function ConnectPage({ me, authOn }) {
  const origin = location.origin;
  const token = 'YOUR_TOKEN';
  const headers = authOn ? { headers: { Authorization: 'Bearer ' + token } } : {};
  const json = (o) => JSON.stringify({ mcpServers: { vibed: o } }, null, 2);
  const remote = json({ type: 'http', url: origin + '/mcp', ...headers });
  const cursor = json({ url: origin + '/mcp', ...headers });
  const stdio = json({ command: 'vibed', args: ['mcp', '--server', origin], ...(authOn ? { env: { VIBED_TOKEN: token } } : {}) });
  const h = authOn ? ' -H "Authorization: Bearer $VIBED_TOKEN"' : '';
  const claudeAdd = `claude mcp add --transport http vibed ${origin}/mcp` + (authOn ? ` \\\n  --header "Authorization: Bearer ${token}"` : '');
  return (
    <div class="stack">
      <div class="page-head">
        <h1>Connect</h1>
        <span class="muted mono small">{origin}</span>
      </div>
      <section class="card stack-sm" aria-labelledby="mcp-h">
        <h2 id="mcp-h">MCP clients</h2>
        <p class="muted">
          Let an assistant deploy what it writes and get the URL back{me ? ', acting as ' + me.subject : ''}.
          {authOn ? ' Put your API key (or OIDC access token) where it says YOUR_TOKEN.' : ' This vibeD runs without auth, so no token is needed.'}
        </p>
        <div class="grid2">
          <Code title="Claude Code (terminal)">{claudeAdd}</Code>
          <Code title="Claude Code (.mcp.json)">{remote}</Code>
          <Code title="Claude Desktop (claude_desktop_config.json, stdio)">{stdio}</Code>
          <Code title="Cursor (~/.cursor/mcp.json)">{cursor}</Code>
        </div>
        <p class="muted small">
          The stdio entry runs the <code class="mono">vibed</code> CLI (<code class="mono">./vibed install-cli</code> puts it on the PATH), which forwards to this server.
        </p>
      </section>
      <section class="card stack-sm" aria-labelledby="cli-h">
        <h2 id="cli-h">Command line</h2>
        <div class="grid2">
          <Code title="CLI: deploy the current folder">{`${authOn ? 'export VIBED_TOKEN=YOUR_TOKEN\n' : ''}vibed deploy --server ${origin}`}</Code>
          <Code title="REST: deploy a tarball">{`tar czf app.tar.gz -C my-app .\ncurl${h} \\\n  -F source=@app.tar.gz -F 'metadata={"name":"my-app"}' \\\n  ${origin}/v1/deploy`}</Code>
          <Code title="REST: apps, logs, live status">{`curl${h} ${origin}/v1/apps\ncurl -N${h} "${origin}/v1/apps/<id>/logs?tail=100&follow=true"\ncurl -N${h} ${origin}/v1/watch`}</Code>
          <Code title="GraphQL">{`curl -s ${origin}/graphql${h} \\\n  -H 'content-type: application/json' \\\n  -d '{"query":"{ apps(first: 5) { nodes { id name phase url } } }"}'`}</Code>
        </div>
        <p class="muted small">
          GraphiQL runs at <a href="/graphql">{origin}/graphql</a>; the REST reference is in the README.
        </p>
      </section>
    </div>
  );
}
