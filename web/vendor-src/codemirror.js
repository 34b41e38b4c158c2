// @ts-check
// CodeMirror 6 for the managers' YAML editor, bundled once by server/http/web-build.ts into /build/codemirror.js
// (CodeMirror's packages import each other by bare names).
export { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
export { EditorState, StateEffect, StateField, Compartment } from '@codemirror/state';
export { basicSetup } from 'codemirror';
export { yaml } from '@codemirror/lang-yaml';
export { linter, lintGutter, setDiagnostics, forceLinting, diagnosticCount } from '@codemirror/lint';
export { indentWithTab } from '@codemirror/commands';
export { MergeView, unifiedMergeView } from '@codemirror/merge';
