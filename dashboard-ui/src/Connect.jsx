// How to reach this vibeD from elsewhere: MCP clients (remote URL with a token, or the stdio command), the
// CLI and REST, all with this server's real address filled in.
import { Code } from './components.jsx';

export function ConnectPage({ me }) {
  const origin = location.origin;
  const token = '<your API key or token>';
  const remote = JSON.stringify({ mcpServers: { vibed: { type: 'http', url: origin + '/mcp', headers: { Authorization: 'Bearer ' + token } } } }, null, 2);
  const stdio = JSON.stringify({ mcpServers: { vibed: { command: 'npx', args: ['-y', 'mcp-remote', origin + '/mcp', '--header', 'Authorization:Bearer ' + token] } } }, null, 2);
  const cursor = JSON.stringify({ mcpServers: { vibed: { url: origin + '/mcp', headers: { Authorization: 'Bearer ' + token } } } }, null, 2);
  return (
    <div class="stack">
      <div class="page-head">
        <h1>Connect</h1>
        <span class="muted">{origin}</span>
      </div>
      <section class="card stack-sm" aria-labelledby="mcp-h">
        <h2 id="mcp-h">MCP clients</h2>
        <p class="muted">Let an agent deploy and manage apps on this vibeD{me ? ' as ' + me.subject : ''}. Replace the token placeholder with your API key (or an OIDC access token).</p>
        <div class="grid2">
          <Code title="Claude Code (terminal)">{`claude mcp add --transport http vibed ${origin}/mcp \\\n  --header "Authorization: Bearer ${token}"`}</Code>
          <Code title="Claude Code (.mcp.json)">{remote}</Code>
          <Code title="Claude Desktop (claude_desktop_config.json, stdio)">{stdio}</Code>
          <Code title="Cursor (~/.cursor/mcp.json)">{cursor}</Code>
        </div>
      </section>
      <section class="card stack-sm" aria-labelledby="cli-h">
        <h2 id="cli-h">Command line</h2>
        <div class="grid2">
          <Code title="Deploy a folder">{`tar czf app.tar.gz -C my-app .\ncurl -H "Authorization: Bearer $VIBED_TOKEN" \\\n  -F source=@app.tar.gz \\\n  -F 'metadata={"name":"my-app"}' \\\n  ${origin}/v1/deploy`}</Code>
          <Code title="List apps and follow logs">{`curl -H "Authorization: Bearer $VIBED_TOKEN" ${origin}/v1/apps\ncurl -N -H "Authorization: Bearer $VIBED_TOKEN" \\\n  "${origin}/v1/apps/<id>/logs?tail=100&follow=true"`}</Code>
          <Code title="GraphQL">{`curl -s ${origin}/graphql -H 'content-type: application/json' \\\n  -H "Authorization: Bearer $VIBED_TOKEN" \\\n  -d '{"query":"{ apps(first: 5) { nodes { id name phase url } } }"}'`}</Code>
          <Code title="Live status (SSE)">{`curl -N -H "Authorization: Bearer $VIBED_TOKEN" ${origin}/v1/watch`}</Code>
        </div>
        <p class="muted small">
          The REST reference is in the README; GraphiQL runs at <a href="/graphql">{origin}/graphql</a>.
        </p>
      </section>
    </div>
  );
}
