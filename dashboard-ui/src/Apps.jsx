// The apps table: the first page from a query, then every change from the appsChanged subscription (no
// polling), filtered here by text and phase.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { APP_FIELDS, gql, subscribe } from './api.js';
import { ErrorBox, Phase, CopyButton } from './components.jsx';
import { Deploy } from './Deploy.jsx';
import { PHASES, ago, until, useTick } from './util.js';

export function useLiveApps(onAuthError) {
  const [apps, setApps] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let live = true;
    let pending = [];
    const apply = (map, e) => {
      const next = new Map(map);
      if (e.kind === 'REMOVED') next.delete(e.appId);
      else if (e.app) next.set(e.appId, e.app);
      return next;
    };
    // Subscribe first so no change between the query and the subscription is lost.
    const stop = subscribe(`subscription { appsChanged { kind appId app { ${APP_FIELDS} } } }`, {}, (d) => {
      setApps((m) => {
        if (m === null) {
          pending.push(d.appsChanged);
          return m;
        }
        return apply(m, d.appsChanged);
      });
    }, (e) => live && setError(e));
    gql(`{ apps(first: 500) { nodes { ${APP_FIELDS} } } }`)
      .then((d) => {
        if (!live) return;
        let m = new Map(d.apps.nodes.map((a) => [a.id, a]));
        for (const e of pending) m = apply(m, e);
        pending = [];
        setApps(m);
      })
      .catch((e) => {
        if (e.status === 401) onAuthError?.();
        else if (live) setError(e);
      });
    return () => {
      live = false;
      stop();
    };
  }, []);
  return { apps, error };
}

export function AppsPage() {
  const { apps, error } = useLiveApps();
  const [text, setText] = useState('');
  const [phase, setPhase] = useState('');
  useTick();
  const rows = useMemo(() => {
    if (!apps) return [];
    const t = text.trim().toLowerCase();
    return [...apps.values()]
      .filter((a) => (!phase || a.phase === phase) && (!t || a.name.toLowerCase().includes(t) || a.id.includes(t) || (a.url || '').includes(t)))
      .sort((a, b) => (b.lastDeployedAt || b.createdAt || '').localeCompare(a.lastDeployedAt || a.createdAt || ''));
  }, [apps, text, phase]);

  if (error) return <ErrorBox error={error} />;
  if (apps === null) return <p class="muted pad">Loading apps…</p>;
  // The drop zone keeps its place in the tree, so a deploy started from the empty state keeps its status.
  const empty = apps.size === 0;
  return (
    <div class={empty ? 'empty stack' : 'stack'} data-testid={empty ? 'empty-state' : undefined}>
      {empty ? (
        <div class="center">
          <h1>Deploy your first app</h1>
          <p class="muted">Drop a folder here, and it is live at its own URL in about a second.</p>
        </div>
      ) : (
        <div class="page-head">
          <h1>Apps</h1>
          <span class="muted">{apps.size} {apps.size === 1 ? 'app' : 'apps'} · live</span>
        </div>
      )}
      <Deploy big={empty} />
      {empty ? <EmptyHint /> : <AppsTable rows={rows} text={text} setText={setText} phase={phase} setPhase={setPhase} />}
    </div>
  );
}

function AppsTable({ rows, text, setText, phase, setPhase }) {
  return (
    <>
      <div class="toolbar">
        <input type="search" class="input grow" placeholder="Search by name, id or URL" aria-label="Search apps" value={text} onInput={(e) => setText(e.target.value)} />
        <select class="input" aria-label="Filter by phase" value={phase} onChange={(e) => setPhase(e.target.value)}>
          <option value="">All phases</option>
          {PHASES.map((p) => (
            <option value={p}>{p}</option>
          ))}
        </select>
      </div>
      <div class="card table-card">
        <table class="apps" data-testid="apps-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Phase</th>
              <th class="hide-sm">URL</th>
              <th class="hide-sm">Template</th>
              <th class="hide-xs">Age</th>
              <th class="hide-xs">Expires</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} data-app={a.id} data-name={a.name} onClick={(e) => e.target.closest('a,button') || (location.hash = '#/apps/' + a.id)}>
                <td>
                  <a class="app-name" href={'#/apps/' + a.id}>
                    {a.name}
                  </a>
                  <div class="muted mono small">{a.id}</div>
                </td>
                <td>
                  <Phase phase={a.phase} />
                </td>
                <td class="hide-sm url-cell">
                  {a.url ? (
                    <span class="row gap-sm">
                      <a href={a.url} target="_blank" rel="noopener" class="mono small">
                        {a.url.replace(/^https?:\/\//, '').replace(/\/$/, '')}
                      </a>
                      <CopyButton text={a.url} label={'Copy URL of ' + a.name} />
                    </span>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
                <td class="hide-sm">
                  <span class="tag">{a.template}</span>
                </td>
                <td class="hide-xs muted">{ago(a.createdAt)}</td>
                <td class="hide-xs muted">{until(a.expiresAt)}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colspan="6" class="muted center pad">
                  No app matches.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

function EmptyHint() {
  return (
    <p class="muted center small">
      Or from a terminal: <code class="mono">tar czf site.tar.gz -C site . && curl -F source=@site.tar.gz {location.origin}/v1/deploy</code>
    </p>
  );
}
