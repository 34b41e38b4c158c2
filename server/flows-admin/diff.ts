// A line diff (longest common subsequence) between two texts, for "draft against published".
export type DiffOp = ' ' | '+' | '-';
export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line in the old text (kept and removed lines). */
  a?: number;
  /** 1-based line in the new text (kept and added lines). */
  b?: number;
}

/** Above this many cells the middle is shown as a plain replace instead of an exact diff. */
const MAX_CELLS = 4_000_000;

export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) endA--, endB--;

  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ op: ' ', text: a[i]!, a: i + 1, b: i + 1 });
  out.push(...middle(a, b, start, endA, start, endB));
  for (let i = endA, j = endB; i < a.length; i++, j++) out.push({ op: ' ', text: a[i]!, a: i + 1, b: j + 1 });
  return out;
}

function middle(a: string[], b: string[], a0: number, a1: number, b0: number, b1: number): DiffLine[] {
  const n = a1 - a0;
  const m = b1 - b0;
  const out: DiffLine[] = [];
  if (n * m > MAX_CELLS) {
    for (let i = a0; i < a1; i++) out.push({ op: '-', text: a[i]!, a: i + 1 });
    for (let j = b0; j < b1; j++) out.push({ op: '+', text: b[j]!, b: j + 1 });
    return out;
  }
  // lcs[i][j] = LCS length of a[a0+i..a1) and b[b0+j..b1)
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * w + j] = a[a0 + i] === b[b0 + j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[a0 + i] === b[b0 + j]) {
      out.push({ op: ' ', text: a[a0 + i]!, a: a0 + i + 1, b: b0 + j + 1 });
      i++, j++;
    } else if (j < m && (i === n || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
      out.push({ op: '+', text: b[b0 + j]!, b: b0 + j + 1 });
      j++;
    } else {
      out.push({ op: '-', text: a[a0 + i]!, a: a0 + i + 1 });
      i++;
    }
  }
  // Removals read better before the additions that replace them.
  return reorderHunks(out);
}

function reorderHunks(lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = [];
  let k = 0;
  while (k < lines.length) {
    if (lines[k]!.op === ' ') {
      out.push(lines[k++]!);
      continue;
    }
    const hunk: DiffLine[] = [];
    while (k < lines.length && lines[k]!.op !== ' ') hunk.push(lines[k++]!);
    out.push(...hunk.filter((l) => l.op === '-'), ...hunk.filter((l) => l.op === '+'));
  }
  return out;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function diffStats(lines: DiffLine[]): { added: number; removed: number } {
  return { added: lines.filter((l) => l.op === '+').length, removed: lines.filter((l) => l.op === '-').length };
}
