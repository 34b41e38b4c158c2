// nlp.js ships no type definitions; we declare only what quanzu uses.
declare module '@nlpjs/core';
declare module '@nlpjs/nlp';
declare module '@nlpjs/lang-en';
declare module '@nlpjs/lang-zh';
