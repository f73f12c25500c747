export { createLanguageModel } from './create-language-model.js';
