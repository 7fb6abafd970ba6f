/** How many of a task's answers a model got right. */
export interface TaskScore {
  correct: number;
  total: number;
  accuracy: number;
}

/**
 * Accuracy on a checkable task (string reversal, addition): a model's completion counts as correct when
 * its text before the first `stop` (default a newline; the whole completion if there is none) equals the
 * answer exactly, with no normalisation: '81' is not '081'.
 * Throws an Error whose message contains both lengths when completions and answers differ in length, and
 * an Error when there are no examples.
 *
 * Example: taskAccuracy(['cba\nrev', 'ab', '081\n'], ['cba', 'ba', '81']) → { correct: 1, total: 3, accuracy: 1/3 }
 */
export function taskAccuracy(completions: string[], answers: string[], stop = '\n'): TaskScore {
  throw new Error('TODO: implement taskAccuracy (see the chapter 12 notebook, section Fine-tuning on a checkable task)');
}
