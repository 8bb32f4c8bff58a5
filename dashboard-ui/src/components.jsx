// The few building blocks every page uses: phase badge, copy button, code block, empty and error boxes.
import { useState } from 'preact/hooks';
import { copy } from './util.js';

export function Phase({ phase }) {
  return (
    <span class={'phase phase-' + (phase || 'Unknown').toLowerCase()} data-phase={phase}>
      <span class="dot" aria-hidden="true" />
      {phase}
    </span>
  );
}

export function CopyButton({ text, label = 'Copy' }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="btn btn-ghost btn-sm"
      aria-label={label}
      onClick={async () => {
        setDone(await copy(text));
        setTimeout(() => setDone(false), 1500);
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  );
}

export function Code({ children, title }) {
  return (
    <div class="code">
      <div class="code-head">
        <span>{title}</span>
        <CopyButton text={children} label={'Copy ' + (title || 'code')} />
      </div>
      <pre>
        <code>{children}</code>
      </pre>
    </div>
  );
}

export function ErrorBox({ error }) {
  if (!error) return null;
  return (
    <div class="alert alert-error" role="alert">
      {error.code ? <strong>{error.code}: </strong> : null}
      {error.message || String(error)}
    </div>
  );
}

export function Spinner() {
  return <span class="spinner" aria-hidden="true" />;
}
