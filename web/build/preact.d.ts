// Types of the generated bundle web/build/preact.js (see server/http/web-build.ts).
export * from '../vendor-src/preact.js';
