// @ts-check
// The consoles' component library, bundled once by server/http/web-build.ts into /build/preact.js
// (preact's hooks import the bare name "preact", which a browser cannot resolve without an import map,
// and the CSP forbids the inline script an import map would need).
import { h, render, Fragment, createRef, createContext, Component } from 'preact';
import htm from 'htm';

export { h, render, Fragment, createRef, createContext, Component };
export { useState, useEffect, useLayoutEffect, useRef, useMemo, useCallback, useReducer, useContext, useId } from 'preact/hooks';
/** Tagged templates that build preact elements: html`<div class=${c}>${text}</div>` (text is never parsed as HTML). */
export const html = htm.bind(h);
