// Maven's entry point for the dashboard: `npm ci` on the committed lockfile when the installed tree is older,
// `vite build` into the given directory, then a check that the first paint (index.html and what it loads)
// stays within 150 kB gzipped.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const installed = join(here, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(here, 'package-lock.json')).mtimeMs) {
  try {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
  } catch (e) {
    console.error('npm ci failed for the dashboard (' + e.message + '); install node and npm (apt-get install nodejs npm)');
    process.exit(1);
  }
}
const out = process.argv[2] || join(here, 'dist');
const { build } = await import('vite');
await build({ root: here, logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });

const LIMIT = 150 * 1024;
const html = readFileSync(join(out, 'index.html'), 'utf8');
const firstPaint = ['index.html', ...[...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1])];
const total = firstPaint.reduce((sum, f) => sum + gzipSync(readFileSync(join(out, f))).length, 0);
console.log(`dashboard first paint: ${firstPaint.length} files, ${(total / 1024).toFixed(1)} kB gzipped (limit 150 kB)`);
if (total > LIMIT) {
  console.error('the dashboard first-paint bundle is over 150 kB gzipped: ' + firstPaint.join(', '));
  process.exit(1);
}
