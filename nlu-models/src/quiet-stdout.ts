// Imported first by the CLIs: nlp.js and lang-zh print with console.log, and stdout carries only results.
const toStderr = (...args: unknown[]) => console.error(...args);
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;
console.warn = toStderr;

export {};
