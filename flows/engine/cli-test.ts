// npm run flows:test — runs flows/tests/*.yaml and fails on any broken conversation or unexercised transition.
import { runFlowTests } from './flow-tests';
import { formatIssue } from './format-issue';
import { loadFlowsDir } from './parse';

const { flows, issues } = loadFlowsDir();
for (const i of issues.filter((x) => x.severity === 'error')) console.log(formatIssue(i));
const report = runFlowTests(flows);
for (const f of report.failures) console.log(`FAIL ${f.file} "${f.conversation}"${f.turn ? ` turn ${f.turn}` : ''}: ${f.message}`);
let uncovered = 0;
for (const c of report.coverage) {
  const pct = c.total ? Math.round((100 * c.covered) / c.total) : 100;
  console.log(`${c.flowId} v${c.version}: ${c.conversations} conversations, ${c.covered}/${c.total} transitions (${pct}%)`);
  if (c.missing.length) {
    uncovered += c.missing.length;
    console.log(`  never exercised: ${c.missing.join(', ')}`);
  }
}
const bad = report.failures.length + uncovered + issues.filter((x) => x.severity === 'error').length;
console.log(bad ? `${report.failures.length} failure(s), ${uncovered} transition(s) never exercised` : 'ok');
process.exitCode = bad ? 1 : 0;
