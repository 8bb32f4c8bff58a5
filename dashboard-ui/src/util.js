// Small pure helpers shared by the pages: time formatting, phase colours, hash routing, copy to clipboard.
import { useEffect, useState } from 'preact/hooks';

export function ago(iso, now = Date.now()) {
  if (!iso) return '—';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  return human(Math.abs(s)) + (s >= 0 ? ' ago' : '');
}

export function until(iso, now = Date.now()) {
  if (!iso) return 'never';
  const s = Math.round((Date.parse(iso) - now) / 1000);
  return s <= 0 ? 'now' : 'in ' + human(s);
}

function human(s) {
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm';
  if (s < 86400) return Math.floor(s / 3600) + 'h';
  return Math.floor(s / 86400) + 'd';
}

export const PHASES = ['Pending', 'Claiming', 'Starting', 'Ready', 'Suspended', 'Failed', 'Deleting'];

/** The current hash route as [page, param], e.g. ['app', 'k3x'] for #/apps/k3x. */
export function useRoute() {
  const read = () => {
    const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
    if (parts[0] === 'apps' && parts[1]) return ['app', decodeURIComponent(parts[1])];
    return [parts[0] || 'apps', null];
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Re-renders every `ms` so relative times stay true. */
export function useTick(ms = 15000) {
  const [, set] = useState(0);
  useEffect(() => {
    const t = setInterval(() => set((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
}

export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
