// The audit log for admins: who did what, when, and how it ended, newest page last (as the server pages it).
import { useEffect, useState } from 'preact/hooks';
import { gql } from './api.js';
import { ErrorBox } from './components.jsx';

const Q = `query($after: String) { audit(first: 100, after: $after) { nodes { seq at actor action appId outcome detail } pageInfo { hasNextPage endCursor } } }`;

export function AuditPage() {
  const [rows, setRows] = useState([]);
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const load = (after) =>
    gql(Q, { after })
      .then((d) => {
        setRows((r) => [...r, ...d.audit.nodes]);
        setPage(d.audit.pageInfo);
      })
      .catch(setError);
  useEffect(() => {
    load(null);
  }, []);
  return (
    <div class="stack">
      <div class="page-head">
        <h1>Audit log</h1>
        <span class="muted">{rows.length} entries</span>
      </div>
      <ErrorBox error={error} />
      <div class="card table-card">
        <table data-testid="audit">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th class="hide-xs">App</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {[...rows].reverse().map((e) => (
              <tr key={e.seq}>
                <td class="muted small">{new Date(e.at).toLocaleString()}</td>
                <td>{e.actor}</td>
                <td class="mono small">{e.action}</td>
                <td class="hide-xs mono small">{e.appId ? <a href={'#/apps/' + e.appId}>{e.appId}</a> : '—'}</td>
                <td>
                  <span class={'tag ' + (e.outcome === 'ok' || e.outcome === 'accepted' ? 'tag-ok' : 'tag-bad')} title={e.detail || ''}>
                    {e.outcome}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page?.hasNextPage && (
        <button class="btn" onClick={() => load(page.endCursor)}>
          Load more
        </button>
      )}
    </div>
  );
}
