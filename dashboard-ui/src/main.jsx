// The dashboard shell: finds out who the caller is (or that they must log in), then routes by URL hash
// between the apps table, an app, the connect page and, for admins, the audit log.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { auth, gql } from './api.js';
import { AppsPage } from './Apps.jsx';
import { AppPage } from './AppPage.jsx';
import { ConnectPage } from './Connect.jsx';
import { AuditPage } from './Audit.jsx';
import { ErrorBox } from './components.jsx';
import { useRoute } from './util.js';
import './style.css';

const ME = `{ me { subject admin roles apps maxApps } }`;

function App() {
  const [me, setMe] = useState(undefined); // undefined: loading; null: must log in
  const [challenge, setChallenge] = useState('');
  const [error, setError] = useState(null);
  const [theme, setTheme] = useState(() => localStorage.getItem('vibed.theme') || '');
  const [page, param] = useRoute();

  const whoami = () =>
    gql(ME)
      .then((d) => setMe(d.me))
      .catch((e) => {
        if (e.status === 401) {
          setChallenge(e.extra?.challenge || '');
          setMe(null);
        } else setError(e);
      });
  useEffect(() => {
    whoami();
  }, []);
  useEffect(() => {
    if (theme) document.documentElement.dataset.theme = theme;
    else delete document.documentElement.dataset.theme;
    localStorage.setItem('vibed.theme', theme);
  }, [theme]);

  async function logout() {
    // A typed key or token is only forgotten; without one the caller came with the login's session cookie.
    const cookieSession = !auth.token();
    auth.clear();
    if (cookieSession) await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => {});
    setMe(null);
    whoami();
  }

  const dark = theme ? theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  return (
    <>
      <a href="#main" class="skip">
        Skip to content
      </a>
      <header class="top">
        <div class="top-inner">
          <a href="#/" class="brand" aria-label="vibeD home">
            <span class="logo" aria-hidden="true">▲</span> vibeD
          </a>
          {me && (
            <nav aria-label="Main">
              <a href="#/" aria-current={page === 'apps' || page === 'app' ? 'page' : undefined}>
                Apps
              </a>
              <a href="#/connect" aria-current={page === 'connect' ? 'page' : undefined}>
                Connect
              </a>
              {me.admin && (
                <a href="#/audit" aria-current={page === 'audit' ? 'page' : undefined}>
                  Audit
                </a>
              )}
            </nav>
          )}
          <span class="grow" />
          <button class="btn btn-ghost btn-sm" aria-label={dark ? 'Switch to light mode' : 'Switch to dark mode'} onClick={() => setTheme(dark ? 'light' : 'dark')}>
            {dark ? '☀' : '☾'}
          </button>
          {me && (
            <span class="user row gap-sm">
              <span class="avatar" aria-hidden="true">
                {me.subject.slice(0, 1).toUpperCase()}
              </span>
              <span class="hide-xs" data-testid="user">
                {me.subject}
              </span>
              {auth.token() || me.subject !== 'local' ? (
                <button class="btn btn-ghost btn-sm" onClick={logout}>
                  Log out
                </button>
              ) : null}
            </span>
          )}
        </div>
      </header>
      <main id="main" class="main">
        <ErrorBox error={error} />
        {me === undefined && !error && <p class="muted pad">Loading…</p>}
        {me === null && <Login challenge={challenge} onToken={(t) => (auth.set(t), whoami())} />}
        {me && page === 'apps' && <AppsPage />}
        {me && page === 'app' && <AppPage id={param} />}
        {me && page === 'connect' && <ConnectPage me={me} authOn={!!auth.token() || me.subject !== 'local'} />}
        {me && page === 'audit' && (me.admin ? <AuditPage /> : <ErrorBox error={{ code: 'forbidden', message: 'the audit log is for admins' }} />)}
      </main>
    </>
  );
}

function Login({ challenge, onToken }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const oidc = /resource_metadata/.test(challenge);
  async function submit(e) {
    e.preventDefault();
    setError(null);
    auth.set(key.trim());
    try {
      await gql(ME);
      onToken(key.trim());
    } catch (err) {
      auth.clear();
      setError(err.status === 401 ? { message: 'that key was not accepted' } : err);
    }
  }
  return (
    <div class="login card">
      <div class="logo big" aria-hidden="true">▲</div>
      <h1>Sign in to vibeD</h1>
      {oidc && (
        <>
          <a class="btn btn-primary wide" href="/auth/login?return_to=%2F">
            Continue with single sign-on
          </a>
          <div class="or muted small">or paste an access token</div>
        </>
      )}
      <form onSubmit={submit} class="stack-sm">
        <label for="key" class="small">
          {oidc ? 'Access token' : 'API key'}
        </label>
        <input id="key" class="input mono" type="password" autocomplete="current-password" required value={key} onInput={(e) => setKey(e.target.value)} />
        <ErrorBox error={error} />
        <button class={'btn wide ' + (oidc ? '' : 'btn-primary')}>Sign in</button>
      </form>
    </div>
  );
}

render(<App />, document.getElementById('app'));
