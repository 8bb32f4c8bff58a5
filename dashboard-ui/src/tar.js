// Builds the tar.gz for a dropped or picked folder in the browser, so a deploy needs no command line: the
// same rules as the CLI (skip .git and node_modules, honour .gitignore and .vibedignore at any depth), ustar
// entries, then the browser's own gzip (CompressionStream).
import ignore from 'ignore';

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);
const IGNORE_FILES = ['.gitignore', '.vibedignore'];

/** The files of a dropped directory entry, as {path, file} with paths relative to that directory. */
export async function filesOfEntry(root) {
  const out = [];
  async function walk(dir, prefix) {
    const reader = dir.createReader();
    for (;;) {
      const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
      if (!batch.length) break;
      for (const entry of batch) {
        if (ALWAYS_SKIPPED.has(entry.name)) continue;
        const path = prefix + entry.name;
        if (entry.isDirectory) await walk(entry, path + '/');
        else out.push({ path, file: await new Promise((ok, fail) => entry.file(ok, fail)) });
      }
    }
  }
  await walk(root, '');
  return out;
}

/** The files of an <input webkitdirectory> pick, with the picked folder's own name taken off the paths. */
export function filesOfPick(fileList) {
  return Array.from(fileList)
    .map((file) => ({ path: file.webkitRelativePath.split('/').slice(1).join('/'), file }))
    .filter(({ path }) => path && !path.split('/').some((part) => ALWAYS_SKIPPED.has(part)));
}

/** Drops what the folder's ignore files exclude; each ignore file rules over its own directory, as in git. */
export async function withoutIgnored(files) {
  const rules = new Map();
  for (const { path, file } of files) {
    const name = path.split('/').pop();
    if (IGNORE_FILES.includes(name)) {
      const dir = path.slice(0, path.length - name.length);
      const ig = rules.get(dir) || ignore();
      ig.add(await file.text());
      rules.set(dir, ig);
    }
  }
  return files.filter(({ path }) => {
    if (path.split('/').some((part) => ALWAYS_SKIPPED.has(part))) return false;
    for (const [dir, ig] of rules) {
      if (path.startsWith(dir) && ig.ignores(path.slice(dir.length))) return false;
    }
    return true;
  });
}

const encoder = new TextEncoder();

function header(path, size, mtime) {
  const h = new Uint8Array(512);
  let name = path;
  let prefix = '';
  if (encoder.encode(name).length > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut <= 0 || encoder.encode(path.slice(cut + 1)).length > 100) throw new Error('path too long for a tar entry: ' + path);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  const put = (text, at, len) => h.set(encoder.encode(text).subarray(0, len), at);
  const octal = (n, len) => (n.toString(8).padStart(len - 1, '0')) + '\0';
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(Math.floor(mtime / 1000), 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  put(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

/** A gzipped tar of the files, as a File named after the folder. */
export async function tarGz(files, name) {
  const parts = [];
  for (const { path, file } of files) {
    parts.push(header(path, file.size, file.lastModified || Date.now()), file);
    const pad = (512 - (file.size % 512)) % 512;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(1024));
  const gz = new Blob(parts).stream().pipeThrough(new CompressionStream('gzip'));
  const blob = await new Response(gz).blob();
  return new File([blob], name + '.tar.gz', { type: 'application/gzip' });
}

/** A name the server accepts (lowercase slug) made from a folder or file name; null when nothing is left. */
export function slug(name) {
  const s = name.replace(/\.(tar\.gz|tgz)$/i, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return s || null;
}
