// Deploy by drop: a folder (packed here into a tar.gz) or a tarball goes to POST /v1/deploy with upload
// progress; while the server starts it the live phase comes from the watch, then the link or the failure.
import { useEffect, useRef, useState } from 'preact/hooks';
import { deploy, subscribe } from './api.js';
import { filesOfEntry, filesOfPick, slug, tarGz, withoutIgnored } from './tar.js';
import { ErrorBox, Phase, Spinner } from './components.jsx';

const WATCH = `subscription { appsChanged { kind appId app { id name phase url reason lastCrashLog } } }`;

export function Deploy({ big }) {
  const [state, setState] = useState(null); // {step, name, progress, phase, app, failure, error, files}
  const [over, setOver] = useState(false);
  const folderInput = useRef();
  const fileInput = useRef();
  const watch = useRef(null);

  useEffect(() => () => watch.current?.(), []);

  async function start(packed, name, count) {
    watch.current?.();
    const update = (patch) => setState((s) => ({ ...s, ...patch }));
    setState({ step: 'upload', name, progress: 0, files: count });
    // The live phase while the deploy call waits: the app shows up in the watch as soon as it is stored.
    watch.current = subscribe(WATCH, {}, (d) => {
      const a = d.appsChanged.app;
      if (a && a.name === name) setState((s) => (s && s.step !== 'done' ? { ...s, phase: a.phase, app: a } : s));
    });
    try {
      const { status, body } = await deploy(packed, name ? { name } : null, (p) => update({ progress: p, step: p >= 1 ? 'starting' : 'upload' }));
      watch.current?.();
      watch.current = null;
      if (status === 422) {
        update({ step: 'failed', phase: 'Failed', app: { id: body.app_id, url: body.url }, failure: body });
      } else if (status === 202) {
        update({ step: 'starting', app: { id: body.app_id, name: body.name, url: body.url, phase: body.phase }, phase: body.phase });
        watch.current = subscribe(`subscription($id: ID!) { appChanged(id: $id) { kind app { id name phase url reason lastCrashLog } } }`, { id: body.app_id }, (d) => {
          const a = d.appChanged.app;
          if (!a) return;
          if (a.phase === 'Ready') update({ step: 'done', phase: 'Ready', app: a });
          else if (a.phase === 'Failed') update({ step: 'failed', phase: 'Failed', app: a, failure: { message: a.reason, last_crash_log: a.lastCrashLog } });
          else update({ phase: a.phase, app: a });
        });
      } else {
        update({ step: 'done', phase: body.phase, app: { id: body.app_id, name: body.name, url: body.url } });
      }
    } catch (e) {
      watch.current?.();
      update({ step: 'error', error: e });
    }
  }

  async function fromFiles(files, folderName) {
    try {
      setState({ step: 'pack', name: slug(folderName) });
      const kept = await withoutIgnored(files);
      if (!kept.length) throw new Error('the folder has no files to deploy (after .gitignore and .vibedignore)');
      const packed = await tarGz(kept, slug(folderName) || 'app');
      await start(packed, slug(folderName), kept.length);
    } catch (e) {
      setState({ step: 'error', error: e });
    }
  }

  async function onDrop(e) {
    e.preventDefault();
    setOver(false);
    const item = e.dataTransfer.items?.[0];
    const entry = item?.webkitGetAsEntry?.();
    if (entry?.isDirectory) {
      fromFiles(await filesOfEntry(entry), entry.name);
    } else if (e.dataTransfer.files[0]) {
      onFile(e.dataTransfer.files[0]);
    }
  }

  function onFile(file) {
    if (!/\.(tar\.gz|tgz)$/i.test(file.name)) {
      setState({ step: 'error', error: new Error('drop a folder or a .tar.gz / .tgz archive (got ' + file.name + ')') });
      return;
    }
    start(file, slug(file.name), null);
  }

  const busy = state && ['pack', 'upload', 'starting'].includes(state.step);
  return (
    <section class={'deploy' + (big ? ' deploy-big' : '')} aria-label="Deploy">
      <div
        class={'dropzone' + (over ? ' over' : '')}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <div class="dz-icon" aria-hidden="true">⇪</div>
        <div class="dz-text">
          <strong>Drop a folder or a .tar.gz to deploy</strong>
          <span class="muted">A static site, a Node or Python server, or a worker. .git, node_modules and ignored files stay behind.</span>
        </div>
        <div class="dz-actions">
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => folderInput.current.click()}>
            Choose folder
          </button>
          <button type="button" class="btn" disabled={busy} onClick={() => fileInput.current.click()}>
            Choose tarball
          </button>
        </div>
        <input
          ref={folderInput}
          type="file"
          webkitdirectory
          hidden
          data-testid="folder-input"
          onChange={(e) => {
            const list = e.target.files;
            if (list.length) fromFiles(filesOfPick(list), list[0].webkitRelativePath.split('/')[0]);
            e.target.value = '';
          }}
        />
        <input
          ref={fileInput}
          type="file"
          accept=".tgz,.tar.gz,application/gzip"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files[0]) onFile(e.target.files[0]);
            e.target.value = '';
          }}
        />
      </div>
      {state && <DeployStatus state={state} onClose={() => setState(null)} />}
    </section>
  );
}

function DeployStatus({ state, onClose }) {
  const { step, name, progress, phase, app, failure, error, files } = state;
  return (
    <div class={'deploy-status card step-' + step} role="status" aria-live="polite" data-testid="deploy-status" data-step={step}>
      <div class="row between">
        <div class="row gap">
          {['pack', 'upload', 'starting'].includes(step) && <Spinner />}
          <strong>{name || 'app'}</strong>
          {phase && <Phase phase={phase} />}
        </div>
        {!['pack', 'upload', 'starting'].includes(step) && (
          <button type="button" class="btn btn-ghost btn-sm" onClick={onClose} aria-label="Dismiss">
            ✕
          </button>
        )}
      </div>
      {step === 'pack' && <p class="muted">Packing the folder…</p>}
      {step === 'upload' && (
        <>
          <p class="muted">Uploading{files ? ' ' + files + ' files' : ''}… {Math.round((progress || 0) * 100)}%</p>
          <div class="progress" role="progressbar" aria-valuenow={Math.round((progress || 0) * 100)} aria-valuemin="0" aria-valuemax="100">
            <div style={{ width: Math.round((progress || 0) * 100) + '%' }} />
          </div>
        </>
      )}
      {step === 'starting' && <p class="muted">Uploaded. Starting the sandbox…</p>}
      {step === 'done' && app?.url && (
        <p>
          Live at{' '}
          <a href={app.url} target="_blank" rel="noopener" data-testid="deploy-url">
            {app.url}
          </a>{' '}
          · <a href={'#/apps/' + app.id}>Open app</a>
        </p>
      )}
      {step === 'failed' && (
        <div data-testid="deploy-failure">
          <div class="alert alert-error">
            <strong>Deploy failed: </strong>
            {failure?.message || 'the app did not start'}
          </div>
          {failure?.last_crash_log && <pre class="log small">{failure.last_crash_log}</pre>}
          {app?.id && <a href={'#/apps/' + app.id}>Open app</a>}
        </div>
      )}
      {step === 'error' && <ErrorBox error={error} />}
    </div>
  );
}
