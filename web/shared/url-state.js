// @ts-check
// Page state in the URL's query (open case, list, search, filters), so a reload or a link shared with a
// colleague opens the same view. Opening something pushes a history entry (Back returns); typing replaces.
import { useEffect, useState } from '../build/preact.js';

const CHANGED = 'qz:url';

/** @returns {Record<string, string>} */
export function readQuery() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

/**
 * @param {Record<string, string | null | undefined>} patch keys to set; null, undefined or '' removes one
 * @param {{ push?: boolean }} [opts]
 */
export function writeQuery(patch, opts = {}) {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(patch)) {
    if (v == null || v === '') q.delete(k);
    else q.set(k, v);
  }
  const search = q.toString();
  const url = location.pathname + (search ? '?' + search : '') + location.hash;
  if (url === location.pathname + location.search + location.hash) return;
  if (opts.push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  window.dispatchEvent(new Event(CHANGED));
}

/** The query, kept current through writeQuery() and Back/Forward. @returns {Record<string, string>} */
export function useQuery() {
  const [q, setQ] = useState(readQuery);
  useEffect(() => {
    const update = () => setQ(readQuery());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGED, update);
    };
  }, []);
  return q;
}
