// Our GPT against PyTorch (scripts/torch/make_fixtures.py): same weights by name → same logits, loss and gradients.
import { describe, expect, it } from 'vitest';
import { applyRope, crossEntropy, disposeNamed, gptForward, initGPT, sinusoidalEncoding, tf } from '@how-llms-work/lib';
import { loadWeights, readFixture, relativeError, unpack, type GPTFixture, type Packed } from './fixtures';

for (const name of ['gpt-learned-pre', 'gpt-rope-post-nobias', 'gpt-sinusoidal-pre']) {
  describe(`PyTorch cross-check: ${name}`, () => {
    const fixture = readFixture<GPTFixture>(name);

    it('has the same parameter names, in the same order, with the same shapes', () => {
      const params = initGPT(fixture.config, 0);
      expect(Object.keys(params)).toEqual(fixture.names);
      for (const n of fixture.names) expect(params[n].shape).toEqual(fixture.weights[n].shape);
      disposeNamed(params);
    });

    it('matches logits and loss', () => {
      const params = initGPT(fixture.config, 0);
      loadWeights(params, fixture);
      const ids = tf.tensor2d(fixture.ids, undefined, 'int32');
      const targets = tf.tensor2d(fixture.targets, undefined, 'int32');
      const logits = gptForward(params, fixture.config, ids);
      const expected = unpack(fixture.logits);
      expect(relativeError(logits, expected)).toBeLessThan(1e-5);
      const loss = crossEntropy(logits, targets);
      expect(Math.abs(loss.dataSync()[0] - fixture.loss)).toBeLessThan(1e-5 * Math.max(1, fixture.loss));
      tf.dispose([ids, targets, logits, expected, loss]);
      disposeNamed(params);
    });

    it('matches the gradient of the loss for every parameter (tied embedding included)', () => {
      const params = initGPT(fixture.config, 0);
      loadWeights(params, fixture);
      const ids = tf.tensor2d(fixture.ids, undefined, 'int32');
      const targets = tf.tensor2d(fixture.targets, undefined, 'int32');
      const { value, grads } = tf.variableGrads(
        () => crossEntropy(gptForward(params, fixture.config, ids), targets),
        Object.values(params),
      );
      const byVariable = new Map(Object.values(params).map((v) => [v.name, v]));
      expect(Object.keys(grads).length).toBe(fixture.names.length);
      for (const n of fixture.names) {
        const expected = unpack(fixture.grads[n]);
        const got = grads[params[n].name];
        expect(byVariable.get(params[n].name)).toBe(params[n]);
        expect(relativeError(got, expected), n).toBeLessThan(1e-4);
        expected.dispose();
      }
      tf.dispose([ids, targets, value, ...Object.values(grads)]);
      disposeNamed(params);
    });
  });
}

describe('PyTorch cross-check: positions', () => {
  const fixture = readFixture<{
    sinusoidal: { T: number; C: number; offset: number; pe: Packed }[];
    rope: { offset: number; x: Packed; y: Packed }[];
  }>('positions');

  for (const c of fixture.sinusoidal) {
    it(`sinusoidal encoding T=${c.T} C=${c.C} offset=${c.offset} equals numpy's`, () => {
      const ours = sinusoidalEncoding(c.T, c.C, c.offset);
      const theirs = unpack(c.pe);
      expect(ours.shape).toEqual(theirs.shape);
      expect(tf.abs(ours.sub(theirs)).max().dataSync()[0]).toBeLessThan(1e-6);
      tf.dispose([ours, theirs]);
    });
  }

  for (const c of fixture.rope) {
    it(`RoPE at offset ${c.offset} equals torch's`, () => {
      const x = unpack(c.x);
      const ours = applyRope(x, c.offset);
      const theirs = unpack(c.y);
      expect(relativeError(ours, theirs)).toBeLessThan(1e-5);
      tf.dispose([x, ours, theirs]);
    });
  }
});
