/** Tokenizers: characters, words, and byte-level BPE (train, encode, decode, save), plus pretrained GPT ones to compare. */
export type { Tokenizer } from './tokenizer';
export { utf8Bytes, utf8Text, describeBytes } from './utf8';
export { CharTokenizer } from './character';
export { UNKNOWN_WORD, splitWords, WordTokenizer } from './words';
export type { SplitWordsOptions, WordTokenizerOptions } from './words';
export { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN, compileSplitPattern, preSplit } from './pretokenize';
export { BYTE_VOCAB_SIZE, BpeTokenizer, mergePairInPlace } from './bpe';
export type { AllowedSpecial, BpeMerge, BpeTokenizerSpec } from './bpe';
export { trainBpe } from './bpe-train';
export type { BpeMergeEvent, BpeTrainOptions } from './bpe-train';
export { BPE_FORMAT, BPE_FORMAT_VERSION, bpeToJson, bpeFromJson, saveBpe, loadBpe } from './bpe-file';
export type { BpeJson } from './bpe-file';
export { gptEncode, gptDecode, gptTokenize, gptVocabSize } from './gpt';
export type { GptEncodingName, GptToken } from './gpt';
