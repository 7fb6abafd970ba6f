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
  // BEGIN SOLUTION: Fine-tuning on a checkable task
  if (completions.length !== answers.length)
    throw new Error(`got ${completions.length} completions for ${answers.length} answers`);
  if (answers.length === 0) throw new Error('accuracy of zero examples is undefined');
  let correct = 0;
  completions.forEach((c, i) => {
    const cut = c.indexOf(stop);
    if ((cut < 0 ? c : c.slice(0, cut)) === answers[i]) correct++;
  });
  return { correct, total: answers.length, accuracy: correct / answers.length };
  // END SOLUTION
}
