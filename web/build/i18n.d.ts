// Types of the generated bundle web/build/i18n.js (see server/http/web-build.ts).
export * from '../i18n/index';
