// The nlp.js language packages ship no types; only their stemmers are used here.
declare module "@nlpjs/lang-en-min" {
  export class StemmerEn {
    stemWord(word: string): string;
  }
}
declare module "@nlpjs/lang-es" {
  export class StemmerEs {
    stemWord(word: string): string;
  }
}
