/**
 * Words that say nothing about which tool is wanted: the Snowball English stop-word list (the
 * forms that survive splitting on apostrophes) plus the filler of requests made to an assistant
 * ("please", "can you", "I want", "also"). Verbs that name operations (get, list, send, add) are
 * deliberately absent: in a tool catalog they are what separates `getX` from `deleteX`.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  // Snowball English list, plus "now" from NLTK's version of it.
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself ' +
    'she her hers herself it its itself they them their theirs themselves what which who whom ' +
    'this that these those am is are was were be been being have has had having do does did ' +
    'doing would should could ought a an the and but if or because as until while of at by for ' +
    'with about against between into through during before after above below to from in out on ' +
    'off over under again further then once here there when where why how both each few more ' +
    'most other some such no nor not only own same so than too very now ' +
    // Contraction remnants after splitting on apostrophes.
    's t d ll m re ve don doesn didn isn aren wasn weren won wouldn shouldn couldn can cannot ' +
    // Request filler.
    'please also just will shall may might must let lets want wants wanted need needs like ' +
    'would any all every via etc e g eg ie'
  ).split(' '),
);
