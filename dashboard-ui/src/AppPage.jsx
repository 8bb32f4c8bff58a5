// One app: live status (appChanged), its live logs (appLogs), versions with rollback, masked env editing and
// the lifecycle actions. Every action is a GraphQL mutation; the subscription brings the result back.
import { useEffect, useRef, useState } from 'preact/hooks';
import { APP_FIELDS, gql, subscribe } from './api.js';
import { CopyButton, ErrorBox, Phase } from './components.jsx';
import { ago, until, useTick } from './util.js';

const FULL = `${APP_FIELDS} lastCrashLog generation observedGeneration
  conditions { type status reason message lastTransitionTime }
  versions { version createdAt sourceSha256 sizeBytes template rule outcome active }
  env { name value }`;

const MASK = '********';

export function AppPage({ id }) {
  const [app, setApp] = useState(undefined);
  const [gone, setGone] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(null);
  useTick();

  useEffect(() => {
    setApp(undefined);
    setGone(false);
    return subscribe(`subscription($id: ID!) { appChanged(id: $id) { kind app { ${FULL} } } }`, { id }, (d) => {
      if (d.appChanged.kind === 'REMOVED') setGone(true);
      else setApp(d.appChanged.app);
    }, (e) => (e.code === 'not_found' ? setApp(null) : setError(e)));
  }, [id]);

  async function act(name, mutation, variables) {
    setBusy(name);
    setError(null);
    try {
      // The new state comes from the appChanged subscription: an answer applied here could arrive after a newer
      // event and put the page back in time.
      await gql(mutation, { id, ...variables });
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(null);
    }
  }

  if (gone)
    return (
      <div class="card pad center" data-testid="app-gone">
        <h2>App deleted</h2>
        <p class="muted">{id} no longer exists.</p>
        <a class="btn" href="#/">Back to apps</a>
      </div>
    );
  if (app === null) return <ErrorBox error={{ code: 'not_found', message: 'there is no app ' + id + ' (or it is not yours)' }} />;
  if (!app) return <p class="muted pad">Loading…</p>;
  const failing = app.conditions.filter((c) => c.status !== 'True' && c.message);
  return (
    <div class="stack">
      <a href="#/" class="muted small back">
        ← Apps
      </a>
      <div class="page-head wrap">
        <div>
          <h1 class="row gap" data-active={app.activeVersion} data-serving={app.servingVersion}>
            {app.name} <Phase phase={app.phase} />
          </h1>
          <div class="muted mono small">
            {app.id} · owner {app.owner}
          </div>
        </div>
        <Actions app={app} busy={busy} act={act} />
      </div>
      <ErrorBox error={error} />
      {app.url && (
        <div class="card url-card row between wrap">
          <a href={app.url} target="_blank" rel="noopener" class="mono big-link" data-testid="app-url">
            {app.url}
          </a>
          <CopyButton text={app.url} label="Copy app URL" />
        </div>
      )}
      <div class="grid2">
        <section class="card" aria-labelledby="status-h">
          <h2 id="status-h">Status</h2>
          <dl class="facts">
            <dt>Template</dt>
            <dd>
              <span class="tag">{app.template}</span> <span class="muted">{app.lane} lane</span>
            </dd>
            <dt>Rule</dt>
            <dd class="mono small" data-testid="rule">{app.rule}</dd>
            <dt>Version</dt>
            <dd>
              v{app.activeVersion} {app.servingVersion !== app.activeVersion && <span class="muted">(serving v{app.servingVersion || '–'})</span>}
            </dd>
            <dt>Deployed</dt>
            <dd>{ago(app.lastDeployedAt)}</dd>
            <dt>Expires</dt>
            <dd>{until(app.expiresAt)}</dd>
            <dt>Restarts</dt>
            <dd>{app.restarts}</dd>
          </dl>
          {app.reason && (
            <div class={'alert ' + (app.phase === 'Failed' ? 'alert-error' : 'alert-info')} data-testid="reason">
              {app.reason}
            </div>
          )}
        </section>
        <section class="card" aria-labelledby="cond-h">
          <h2 id="cond-h">Conditions</h2>
          <ul class="conditions">
            {app.conditions.map((c) => (
              <li key={c.type} title={c.message || ''}>
                <span class={'cond cond-' + c.status.toLowerCase()} aria-label={c.status}>
                  {c.status === 'True' ? '✓' : c.status === 'False' ? '✕' : '•'}
                </span>
                <span class="cond-type">{c.type}</span>
                <span class="muted small">{c.reason}</span>
                <span class="muted small push">{ago(c.lastTransitionTime)}</span>
              </li>
            ))}
          </ul>
          {failing.map((c) => (
            <p class="small muted">
              {c.type}: {c.message}
            </p>
          ))}
        </section>
      </div>
      {app.lastCrashLog && (
        <section class="card" aria-labelledby="crash-h">
          <h2 id="crash-h">Last crash output</h2>
          <pre class="log small" data-testid="crash-log">{app.lastCrashLog}</pre>
        </section>
      )}
      <Logs id={app.id} key={app.id + ':' + app.servingVersion} />
      <Versions app={app} busy={busy} act={act} />
      <Env app={app} busy={busy} act={act} />
    </div>
  );
}

function Actions({ app, busy, act }) {
  const dialog = useRef();
  const [ttl, setTtl] = useState('24h');
  const one = `{ ${FULL} }`;
  return (
    <div class="row gap wrap actions">
      {app.suspended ? (
        <button class="btn" disabled={!!busy} onClick={() => act('resume', `mutation($id: ID!) { resumeApp(id: $id) ${one} }`)}>
          Resume
        </button>
      ) : (
        <button class="btn" disabled={!!busy} onClick={() => act('suspend', `mutation($id: ID!) { suspendApp(id: $id) ${one} }`)}>
          Suspend
        </button>
      )}
      <button class="btn" disabled={!!busy} onClick={() => act('redeploy', `mutation($id: ID!) { redeployApp(id: $id) ${one} }`)}>
        Redeploy
      </button>
      <span class="row joined">
        <select class="input" aria-label="New time to live" value={ttl} onChange={(e) => setTtl(e.target.value)}>
          <option value="1h">1 hour</option>
          <option value="24h">24 hours</option>
          <option value="7d">7 days</option>
          <option value="30d">30 days</option>
          <option value="0">Never expire</option>
        </select>
        <button class="btn" disabled={!!busy} onClick={() => act('extend', `mutation($id: ID!, $ttl: String!) { extendAppTtl(id: $id, ttl: $ttl) ${one} }`, { ttl })}>
          Extend
        </button>
      </span>
      <button class="btn btn-danger" disabled={!!busy} onClick={() => dialog.current.showModal()}>
        Delete
      </button>
      <dialog ref={dialog} class="dialog" aria-labelledby="del-h">
        <form method="dialog">
          <h2 id="del-h">Delete {app.name}?</h2>
          <p class="muted">The sandbox stops, every version is removed and {app.url || 'its URL'} stops answering. This cannot be undone.</p>
          <div class="row gap end">
            <button class="btn" value="cancel" autofocus>
              Cancel
            </button>
            <button
              class="btn btn-danger"
              value="delete"
              onClick={(e) => {
                e.preventDefault();
                dialog.current.close();
                act('delete', `mutation($id: ID!) { deleteApp(id: $id) }`);
              }}
            >
              Delete app
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}

function Logs({ id }) {
  const [lines, setLines] = useState([]);
  const [paused, setPaused] = useState(false);
  const [shown, setShown] = useState(null);
  const [error, setError] = useState(null);
  const box = useRef();
  useEffect(() => {
    const all = [];
    return subscribe(`subscription($id: ID!) { appLogs(id: $id, tail: 200) { seq ts stream line } }`, { id }, (d) => {
      all.push(d.appLogs);
      if (all.length > 2000) all.splice(0, all.length - 2000);
      setLines([...all]);
    }, setError);
  }, [id]);
  const visible = paused ? shown || [] : lines;
  useEffect(() => {
    if (!paused && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [visible, paused]);
  return (
    <section class="card" aria-labelledby="logs-h">
      <div class="row between">
        <h2 id="logs-h" class="row gap">
          Logs {!paused && <span class="live-dot" title="following" />}
        </h2>
        <div class="row gap">
          {paused && lines.length > visible.length && <span class="muted small">{lines.length - visible.length} new</span>}
          <button
            class="btn btn-sm"
            aria-pressed={paused}
            onClick={() => {
              setShown(paused ? null : lines);
              setPaused(!paused);
            }}
          >
            {paused ? 'Follow' : 'Pause'}
          </button>
        </div>
      </div>
      <ErrorBox error={error} />
      <pre class="log" ref={box} tabindex="0" aria-label="App output" data-testid="logs">
        {visible.length === 0 && <span class="muted">No output yet.</span>}
        {visible.map((l) => (
          <div key={l.seq} class={'line ' + l.stream}>
            <span class="ts">{l.ts ? l.ts.slice(11, 19) : ''}</span>
            {l.line}
          </div>
        ))}
      </pre>
    </section>
  );
}

function Versions({ app, busy, act }) {
  return (
    <section class="card table-card" aria-labelledby="ver-h">
      <h2 id="ver-h" class="pad-h">Versions</h2>
      <table class="versions" data-testid="versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Outcome</th>
            <th class="hide-xs">Template</th>
            <th class="hide-sm">Source</th>
            <th class="hide-xs">Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {app.versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>
                v{v.version} {v.active && <span class="tag tag-accent">active</span>}
              </td>
              <td>{v.outcome}</td>
              <td class="hide-xs">{v.template}</td>
              <td class="hide-sm mono small muted">
                {v.sourceSha256.slice(0, 12)} · {(v.sizeBytes / 1024).toFixed(1)} kB
              </td>
              <td class="hide-xs muted">{ago(v.createdAt)}</td>
              <td class="right">
                {!v.active && (
                  <button class="btn btn-sm" disabled={!!busy} onClick={() => act('rollback', `mutation($id: ID!, $v: Int!) { rollbackApp(id: $id, version: $v) { ${FULL} } }`, { v: v.version })}>
                    Roll back
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Env({ app, busy, act }) {
  const [rows, setRows] = useState(null);
  const editing = rows !== null;
  const start = () => setRows(app.env.map((e) => ({ name: e.name, value: MASK, kept: true })));
  async function save(e) {
    e.preventDefault();
    const env = rows.filter((r) => r.name.trim()).map((r) => ({ name: r.name.trim(), value: r.value }));
    if (await act('env', `mutation($id: ID!, $env: [EnvVarInput!]!) { setAppEnv(id: $id, env: $env) { ${FULL} } }`, { env })) setRows(null);
  }
  const set = (i, patch) => setRows(rows.map((r, j) => (i === j ? { ...r, ...patch } : r)));
  return (
    <section class="card" aria-labelledby="env-h">
      <div class="row between">
        <h2 id="env-h">Environment</h2>
        {!editing && (
          <button class="btn btn-sm" onClick={start}>
            Edit
          </button>
        )}
      </div>
      {!editing ? (
        app.env.length ? (
          <dl class="facts env">
            {app.env.map((e) => (
              <>
                <dt class="mono">{e.name}</dt>
                <dd class="mono muted">{e.value}</dd>
              </>
            ))}
          </dl>
        ) : (
          <p class="muted">No variables.</p>
        )
      ) : (
        <form onSubmit={save} class="stack-sm">
          <p class="muted small">Values stay hidden; leave a masked value as it is to keep it. Saving deploys a new version.</p>
          {rows.map((r, i) => (
            <div class="row gap env-row">
              <input class="input mono" aria-label="Name" placeholder="NAME" value={r.name} onInput={(e) => set(i, { name: e.target.value })} />
              <input
                class="input mono grow"
                type="password"
                aria-label={'Value of ' + (r.name || 'new variable')}
                placeholder="value"
                value={r.value}
                onInput={(e) => set(i, { value: e.target.value })}
              />
              <button type="button" class="btn btn-ghost btn-sm" aria-label={'Remove ' + (r.name || 'row')} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                ✕
              </button>
            </div>
          ))}
          <div class="row gap">
            <button type="button" class="btn btn-sm" onClick={() => setRows([...rows, { name: '', value: '' }])}>
              Add variable
            </button>
            <span class="grow" />
            <button type="button" class="btn btn-sm" onClick={() => setRows(null)}>
              Cancel
            </button>
            <button class="btn btn-primary btn-sm" disabled={!!busy}>
              Save
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
