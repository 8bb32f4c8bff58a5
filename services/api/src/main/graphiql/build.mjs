// Bundles GraphiQL and its styles into one script and one stylesheet (no CDN at run time). Maven runs this in
// generate-resources and packs the output into the api jar as static content. The packages come from
// `npm ci` on the committed lockfile, run again whenever the lockfile is newer than the installed tree.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const installed = join(here, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(here, 'package-lock.json')).mtimeMs) {
  try {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
  } catch (e) {
    console.error('npm ci failed for GraphiQL (' + e.message + '); install node and npm (apt-get install nodejs npm)');
    process.exit(1);
  }
}
const { build } = await import('esbuild');
const out = process.argv[2] || join(here, 'dist');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(here, 'index.jsx')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outfile: join(out, 'graphiql.js'),
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file', '.svg': 'dataurl' },
  logLevel: 'warning',
  legalComments: 'linked',
});
copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
