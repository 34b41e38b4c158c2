// The consoles' three bundles, built once by esbuild into web/build/: the component library (preact, its
// hooks, htm), CodeMirror for the managers' editor, and the catalogue (web/i18n, with the code's vocabulary).
// The consoles' own modules are served as written; only these need bundling, because their packages import
// each other by bare names and the CSP forbids the inline import map a browser would need.
// `npm run build:web` builds them; the web role checks them at start and rebuilds when missing or stale.
import fs from 'node:fs';
import path from 'node:path';

export const WEB_ROOT = path.resolve(__dirname, '..', '..', 'web');
export const BUILD_DIR = path.join(WEB_ROOT, 'build');
const ROOT = path.resolve(WEB_ROOT, '..');

const ENTRIES: Record<string, string> = {
  'preact.js': path.join(WEB_ROOT, 'vendor-src', 'preact.js'),
  'codemirror.js': path.join(WEB_ROOT, 'vendor-src', 'codemirror.js'),
  'i18n.js': path.join(WEB_ROOT, 'i18n', 'index.ts'),
};
const STAMP = path.join(BUILD_DIR, 'stamp.json');

interface Stamp {
  /** input file (relative to the repository) → "size:mtimeMs" */
  inputs: Record<string, string>;
}

const fingerprint = (file: string): string | null => {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    return null;
  }
};

/** Why the bundles must be rebuilt, or null when they are current. */
export function staleReason(): string | null {
  for (const out of Object.keys(ENTRIES)) if (!fs.existsSync(path.join(BUILD_DIR, out))) return `web/build/${out} is missing`;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8')) as Stamp;
  } catch {
    return 'web/build/stamp.json is missing';
  }
  for (const entry of Object.values(ENTRIES)) if (!(path.relative(ROOT, entry) in stamp.inputs)) return `${path.relative(ROOT, entry)} is new`;
  for (const [file, print] of Object.entries(stamp.inputs)) if (fingerprint(path.join(ROOT, file)) !== print) return `${file} changed`;
  return null;
}

/** Builds every bundle (minified, with source maps) and records what went into them. */
export function buildWeb(): { files: string[]; bytes: number } {
  // Loaded only when a build is needed: a deployment that ships web/build/ never needs esbuild at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const inputs: Record<string, string> = {};
  const files: string[] = [];
  let bytes = 0;
  // Each process builds into its own directory and renames into place, so parallel starts never see half a file.
  const tmp = fs.mkdtempSync(path.join(BUILD_DIR, '.tmp-'));
  try {
    for (const [out, entry] of Object.entries(ENTRIES)) {
      const r = esbuild.buildSync({
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        target: ['chrome110', 'firefox110', 'safari16'],
        minify: true,
        sourcemap: true,
        legalComments: 'linked',
        outfile: path.join(tmp, out),
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: ROOT,
      });
      for (const input of Object.keys(r.metafile.inputs)) {
        const abs = path.resolve(ROOT, input);
        inputs[path.relative(ROOT, abs)] = fingerprint(abs) ?? 'missing';
      }
      for (const produced of Object.keys(r.metafile.outputs)) {
        const name = path.basename(produced);
        fs.renameSync(path.resolve(ROOT, produced), path.join(BUILD_DIR, name));
        if (name === out) {
          files.push(`web/build/${name}`);
          bytes += fs.statSync(path.join(BUILD_DIR, name)).size;
        }
      }
    }
    const stampTmp = path.join(tmp, 'stamp.json');
    fs.writeFileSync(stampTmp, JSON.stringify({ inputs } satisfies Stamp, null, 1));
    fs.renameSync(stampTmp, STAMP);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { files, bytes };
}

/** Builds the bundles when they are missing or older than their sources; says why it did. */
export function ensureWebBuild(log?: { info(o: object, m: string): void }): void {
  const why = staleReason();
  if (!why) return;
  let built: { files: string[]; bytes: number };
  try {
    built = buildWeb();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND')
      throw new Error(`the consoles' bundles need building (${why}) but esbuild is not installed: run \`npm run build:web\` where the dev dependencies are installed, and ship web/build/`, { cause: err });
    throw err;
  }
  log?.info({ why, files: built.files, bytes: built.bytes }, 'built the consoles\u2019 bundles');
}
