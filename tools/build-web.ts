// npm run build:web — bundles the consoles' libraries and catalogue into web/build/ (see server/http/web-build.ts).
import { buildWeb, staleReason } from '../server/http/web-build';

const force = process.argv.includes('--force');
const why = force ? 'forced' : staleReason();
if (!why) {
  console.log('web/build/ is up to date');
} else {
  const started = Date.now();
  const r = buildWeb();
  console.log(`built ${r.files.join(', ')} (${Math.round(r.bytes / 1024)} kB) in ${Date.now() - started} ms — ${why}`);
}
