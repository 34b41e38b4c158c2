// After tsc: the files the compiled code reads beside itself (paths are relative to each module's
// __dirname, so dist/ mirrors the repository): the consoles, the flows with their tests and schema, the
// triage policy, the citizen-facing message catalogue, the organisation's units and banks, and the trained model. Usage: node dist/tools/build/copy-assets.js [outDir, default dist]
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ASSETS: { from: string; filter?: (name: string) => boolean }[] = [
  { from: 'web' },
  { from: 'flows', filter: (name) => /\.(ya?ml|json)$/.test(name) },
  { from: 'flows/tests' },
  { from: 'flows/messages' },
  { from: 'org', filter: (name) => /\.ya?ml$/.test(name) },
  { from: 'nlu-models/model.json' },
];

export function copyAssets(outDir: string): string[] {
  const copied: string[] = [];
  for (const a of ASSETS) {
    const src = path.join(ROOT, a.from);
    const dst = path.join(outDir, a.from);
    if (!fs.existsSync(src)) throw new Error(`build: ${a.from} is missing; the compiled server needs it`);
    if (fs.statSync(src).isFile()) {
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.copyFileSync(src, dst);
      copied.push(a.from);
      continue;
    }
    if (!a.filter) {
      fs.cpSync(src, dst, { recursive: true });
      copied.push(`${a.from}/`);
      continue;
    }
    fs.mkdirSync(dst, { recursive: true });
    for (const name of fs.readdirSync(src)) {
      if (!fs.statSync(path.join(src, name)).isFile() || !a.filter(name)) continue;
      fs.copyFileSync(path.join(src, name), path.join(dst, name));
      copied.push(path.join(a.from, name));
    }
  }
  return copied;
}

if (require.main === module) {
  const outDir = path.resolve(ROOT, process.argv[2] ?? 'dist');
  const copied = copyAssets(outDir);
  console.log(`copied ${copied.length} assets to ${path.relative(ROOT, outDir) || '.'}`);
  // The consoles' bundles, built by the compiled code for the compiled tree: their stamp names the inputs as
  // the compiled server will look for them, so `npm start` serves them as they are and never needs esbuild
  // (a dev dependency) at run time. The copied web/build/ stamp names the sources' paths and would read as stale.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const web = require(path.join(outDir, 'server', 'http', 'web-build.js')) as typeof import('../../server/http/web-build');
  const built = web.buildWeb();
  const stale = web.staleReason();
  if (stale) throw new Error(`build: the consoles' bundles in ${path.relative(ROOT, outDir)} read as stale right after building them (${stale})`);
  console.log(`built the consoles' bundles for ${path.relative(ROOT, outDir)}: ${built.files.join(', ')} (${Math.round(built.bytes / 1024)} kB)`);
}
