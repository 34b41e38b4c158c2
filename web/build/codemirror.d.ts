// Types of the generated bundle web/build/codemirror.js (see server/http/web-build.ts).
export * from '../vendor-src/codemirror.js';
