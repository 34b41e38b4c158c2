import { readModelFile, DEFAULT_MODEL_FILE } from './src/model-file';
import { installZhDict } from './src/zh-dict';
const d = require('@nlpjs/lang-zh/src/dictionary');
const m = readModelFile(DEFAULT_MODEL_FILE);
installZhDict(m.zhDict);
console.log(Object.keys(d.simplified).length);
const txt = '警官说我涉嫌洗钱让我把钱转到安全账户核查';
let s = performance.now(); for (let i = 0; i < 2000; i++) d.segment(txt + i); console.log('segment', (performance.now() - s) / 2000 * 1000, 'us');
s = performance.now(); for (let i = 0; i < 200000; i++) d.search('转到' + (i % 10)); console.log('search', (performance.now() - s) / 200000 * 1000, 'us');
