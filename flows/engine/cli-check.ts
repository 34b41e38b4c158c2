// npm run -s flows:check -- [files…]   (default: every flow in flows/ and flows/policy.yaml)
import { checkFiles } from './check-all';
import { formatIssue } from './format-issue';

const files = process.argv.slice(2).filter((a) => a !== '--');
const issues = checkFiles(files);
for (const i of issues) console.log(formatIssue(i));
const errors = issues.filter((i) => i.severity === 'error').length;
const warnings = issues.length - errors;
console.log(errors || warnings ? `${errors} error(s), ${warnings} warning(s)` : `ok: ${files.length ? files.join(', ') : 'every flow and policy.yaml'}`);
process.exitCode = errors > 0 ? 1 : 0;
