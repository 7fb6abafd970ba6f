/** The course library: follow one token from text to text through these folders. */
export * from './backend';
