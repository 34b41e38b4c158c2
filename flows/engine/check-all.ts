// What `flows:check` runs: the given flow files (or every flow and the policy).
import fs from 'node:fs';
import path from 'node:path';
import { flowSourcesIn, loadFlowsDir, parseFlow, FLOWS_DIR } from './parse';
import { checkPolicy, parsePolicy, POLICY_FILE } from './policy';
import type { CheckIssue } from './types';
import { CATALOGUE_FILE, parseCatalogue } from './messages';

export function checkFiles(files: string[]): CheckIssue[] {
  if (files.length === 0) {
    const { flows, issues } = loadFlowsDir(FLOWS_DIR);
    const rel = path.relative(process.cwd(), POLICY_FILE);
    const p = parsePolicy(fs.readFileSync(POLICY_FILE, 'utf8'), rel);
    const cat = parseCatalogue(fs.readFileSync(CATALOGUE_FILE, 'utf8'), path.relative(process.cwd(), CATALOGUE_FILE));
    return [...issues, ...p.issues, ...(p.policy ? checkPolicy(p.policy, flows, rel) : []), ...cat.issues];
  }
  const issues: CheckIssue[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (path.resolve(f) === CATALOGUE_FILE) {
      issues.push(...parseCatalogue(text, f).issues);
    } else if (path.basename(f) === 'policy.yaml') {
      const p = parsePolicy(text, f);
      issues.push(...p.issues);
      if (p.policy) issues.push(...checkPolicy(p.policy, loadFlowsDir(path.dirname(path.resolve(f))).flows, f));
    } else {
      // A flow that extends another finds its base beside it.
      const sources = flowSourcesIn(path.dirname(path.resolve(f)));
      issues.push(...parseFlow(text, { file: f, base: (id) => sources.get(id) }).issues);
    }
  }
  return issues;
}
