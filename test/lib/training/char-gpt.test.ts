import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  chapter7Checkpoint,
  checkpointDir,
  disposeAdamW,
  disposeNamed,
  gptForward,
  loadCharGPT,
  loadOrTrainCharGPT,
  saveCharGPT,
  tf,
  trainCharGPT,
} from '@how-llms-work/lib';

describe('character GPT run', () => {
  it('trains below log(V), saves with its vocabulary and loads back to the same logits', async () => {
    const text = 'to be or not to be, that is the question. '.repeat(40);
    const run = await trainCharGPT({
      text,
      model: { blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 },
      batchSize: 8,
      steps: 30,
      maxLr: 2e-2,
      evalEvery: 30,
      evalIters: 2,
    });
    const V = run.tokenizer.vocabSize;
    expect(run.config.vocabSize).toBe(V);
    expect(run.result.evals.at(-1)!.valLoss!).toBeLessThan(Math.log(V) - 0.5);

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chargpt-')), 'run.ckpt');
    await saveCharGPT(file, run);
    const back = loadCharGPT(file);
    expect(back.tokenizer.decode(back.tokenizer.encode('question'))).toBe('question');
    expect(back.tokenizer.chars).toEqual(run.tokenizer.chars);
    expect(back.config).toEqual(run.config);
    expect(back.step).toBe(30);
    expect(back.meta.valLoss).toBe(run.result.evals.at(-1)!.valLoss);
    const ids = tf.tensor2d([run.tokenizer.encode('to be or not')], undefined, 'int32');
    const a = gptForward(run.params, run.config, ids);
    const b = gptForward(back.params, back.config, ids);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([ids, a, b]);
    disposeNamed(run.params);
    disposeNamed(back.params);
    disposeAdamW(run.result.optimizer);
    if (back.optimizer) disposeAdamW(back.optimizer);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('chapter 7, later chapters and npm run train:gpt share one checkpoint folder at the repository root', () => {
    const root = path.resolve(__dirname, '../../..');
    expect(checkpointDir()).toBe(path.join(root, '.checkpoints'));
    expect(chapter7Checkpoint('full')).toBe(path.join(root, '.checkpoints', 'shakespeare-char.ckpt'));
    expect(chapter7Checkpoint('ci')).toBe(path.join(root, '.checkpoints', 'shakespeare-char-ci.ckpt'));
    const cli = fs.readFileSync(path.join(root, 'scripts', 'train-gpt.ts'), 'utf8');
    expect(cli).toMatch(/chapter7Checkpoint\('full'\)/);
    // One recipe: the CLI's default steps are chapter 7's full-profile steps.
    const ch7 = fs.readFileSync(path.join(root, 'notebooks', '07-pretraining.ipynb'), 'utf8');
    const cliSteps = cli.match(/steps: \{ type: 'string', default: '(\d+)' \}/)?.[1];
    expect(ch7).toMatch(
      new RegExp(
        `full: \\{ model: \\{ blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128 \\}, batchSize: 12, steps: ${cliSteps},`,
      ),
    );
    for (const nb of ['07-pretraining', '08-generation', '10-compression', '12-applications']) {
      const source = fs.readFileSync(path.join(root, 'notebooks', `${nb}.ipynb`), 'utf8');
      expect(source, nb).toMatch(/L\.chapter7Checkpoint\(\)/);
      expect(source, nb).not.toMatch(/'\.checkpoints\//);
    }
  });

  it('loadOrTrainCharGPT trains and saves once, then loads', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chargpt-')), 'auto.ckpt');
    let reads = 0;
    const text = async () => {
      reads++;
      return 'abcabcabd '.repeat(30);
    };
    const options = { model: { blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 8 }, batchSize: 4, steps: 3, evalIters: 1 };
    const said: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void said.push(line));
    const first = await loadOrTrainCharGPT(file, text, options);
    const second = await loadOrTrainCharGPT(file, text, options);
    log.mockRestore();
    expect([first.trainedNow, second.trainedNow, reads]).toEqual([true, false, 1]);
    expect(said[0]).toMatch(
      /^No model at .*auto\.ckpt: training a stand-in here \(3 steps\)\. Run chapter 7 \(or `npm run train:gpt`\) once/,
    );
    expect(said[1]).toMatch(
      /^Using the model saved at .*auto\.ckpt \(step 3, validation loss \d\.\d{3}; a stand-in trained by a later chapter\)\.$/,
    );
    expect(second.tokenizer.chars).toEqual(
      ['a', 'b', 'c', 'd', ' '].sort((x, y) => x.codePointAt(0)! - y.codePointAt(0)!),
    );
    for (const m of [first, second]) {
      disposeNamed(m.params);
      if (m.optimizer) disposeAdamW(m.optimizer);
    }
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
