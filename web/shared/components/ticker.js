// @ts-check
// One clock for every countdown on the page: components that show time re-render each second, nothing else does.
import { useEffect, useState } from '../../build/preact.js';

/** @type {Set<(now: number) => void>} */
const listeners = new Set();
let timer = /** @type {ReturnType<typeof setInterval> | null} */ (null);
let offsetMs = 0;

/** The server's clock minus ours, so countdowns agree with the server's deadlines. @param {string} serverNowIso */
export function syncServerClock(serverNowIso) {
  const t = Date.parse(serverNowIso);
  if (!Number.isNaN(t)) offsetMs = t - Date.now();
}
export const serverNow = () => Date.now() + offsetMs;

/** The server's time now, updated every second while the component is shown. */
export function useNow() {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    listeners.add(setNow);
    if (!timer) timer = setInterval(() => listeners.forEach((l) => l(serverNow())), 1000);
    return () => {
      listeners.delete(setNow);
      if (!listeners.size && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, []);
  return now;
}

/** "4:05", "1:02:09"; negative durations get a minus. @param {number} ms */
export function clock(ms) {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const m = Math.floor(s / 60);
  const sec = String(s % 60).padStart(2, '0');
  return (neg ? '-' : '') + (hours ? hours + ':' + String(m).padStart(2, '0') : m) + ':' + sec;
}
