import fs from 'node:fs';
import { DIAGRAM_FILE, diagramText } from '../../../server/cases/cli-lifecycle-diagram';
import { LIFECYCLE_GRAPH, PHASES } from '../../../server/cases/lifecycle';

test('docs/lifecycle.md is what the lifecycle generates (run `npm run lifecycle:diagram` after changing it)', () => {
  expect(fs.readFileSync(DIAGRAM_FILE, 'utf8')).toBe(diagramText());
});

test('the diagram shows every phase and every transition', () => {
  const text = diagramText();
  for (const p of PHASES) expect(text).toContain(`| ${p} |`);
  for (const e of LIFECYCLE_GRAPH) expect(text).toContain(`| ${e.from} | ${e.to} | \`${e.on}\` |`);
});
