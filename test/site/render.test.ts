import { describe, expect, it } from 'vitest';
import { ChapterMeta, renderChapter, renderIndex, renderMarkdown } from '../../site/render';
import { chapterExercises, describeNotebook } from '../../site/build';

const meta = (n: string, title: string): ChapterMeta => ({ file: `${n}-x.ipynb`, number: n, title, summary: 's', exercises: [] });

describe('site rendering', () => {
  it('typesets math with KaTeX and leaves code alone', () => {
    const html = renderMarkdown('Loss $\\log V$ and `a $b$ c`.\n\n$$x_i^2$$');
    expect(html).toContain('class="katex"');
    expect(html).toContain('<code>a $b$ c</code>');
    expect(html).toContain('katex-display');
  });

  it('points links to other notebooks at their pages', () => {
    expect(renderMarkdown('[next](01-rnn-to-transformer.ipynb)')).toContain('href="01-rnn-to-transformer.html"');
  });

  it('draws Plotly outputs with the local plotly.js and keeps SVG charts inline', () => {
    const page = renderChapter(
      [
        { cell_type: 'markdown', source: '# 1. Title' },
        {
          cell_type: 'code',
          source: 'L.plotly(...)',
          outputs: [
            { output_type: 'display_data', data: { 'application/vnd.plotly.v1+json': { data: [{ y: [1] }], layout: {} }, 'text/html': '<script>huge</script>' } },
            { output_type: 'display_data', data: { 'image/svg+xml': '<svg><g aria-label="line"></g></svg>', 'text/plain': '[chart]' } },
            { output_type: 'stream', name: 'stdout', text: ['a < b\n'] },
          ],
        },
      ],
      meta('01', '1. Title'),
      { prev: meta('00', '0. Tour'), next: meta('02', '2. Tokens') },
    );
    expect(page).toContain('<script src="assets/plotly.min.js"></script>');
    expect(page).toContain('Plotly.newPlot');
    expect(page).not.toContain('huge');
    expect(page).toContain('<svg><g aria-label="line"></g></svg>');
    expect(page).toContain('a &lt; b');
    expect(page).toContain('href="00-x.html"');
    expect(page).toContain('href="02-x.html"');
  });

  it('lists chapters with their summaries on the index', () => {
    const html = renderIndex([meta('00', '0. Tour'), meta('01', '1. RNNs')], '# Course');
    expect(html.match(/<li>/g)).toHaveLength(2);
  });

  it('describes a notebook by its title and first paragraph', () => {
    const d = describeNotebook('07-pretraining.ipynb', [{ cell_type: 'markdown', source: '# 7. Pre-training\n\nWe train a **GPT** on [Shakespeare](x).\n\nMore.' }]);
    expect(d).toEqual({ number: '07', title: '7. Pre-training', summary: 'We train a GPT on Shakespeare.' });
  });

  it('finds a chapter exercises with their doc comments, or none', () => {
    expect(chapterExercises('99').list).toEqual([]);
  });
});

describe('exercise listing', () => {
  it('takes each exported function with its own doc comment, not a neighbour', () => {
    const list = chapterExercises('07').list;
    expect(list.length).toBeGreaterThanOrEqual(3);
    for (const e of list) {
      expect(e.doc).not.toContain('*/');
      expect(e.doc).not.toMatch(/export (interface|function)/);
    }
  });
});
