import { describe, expect, it } from 'vitest';
import { ChapterMeta, renderChapter, renderIndex, renderInline, renderMarkdown, SITE_CSS } from '../../site/render';
import { chapterExercises, describeNotebook, firstParagraph } from '../../site/build';

const meta = (n: string, title: string): ChapterMeta => ({
  file: `${n}-x.ipynb`,
  number: n,
  title,
  summary: 's',
  exercises: [],
});

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

  it('draws Plotly outputs with the local plotly.js, deferred, only on pages that have one, and keeps SVG charts inline', () => {
    const { html: page } = renderChapter(
      [
        { cell_type: 'markdown', source: '# Title' },
        {
          cell_type: 'code',
          source: 'L.plotly(...)',
          outputs: [
            {
              output_type: 'display_data',
              data: {
                'application/vnd.plotly.v1+json': { data: [{ y: [1] }], layout: {} },
                'text/html':
                  '<div id="plotly-1" class="how-llms-plotly"><svg>static</svg></div><script>loader</script>',
              },
            },
            {
              output_type: 'display_data',
              data: { 'image/svg+xml': '<svg><g aria-label="line"></g></svg>', 'text/plain': '[chart]' },
            },
            { output_type: 'stream', name: 'stdout', text: ['a < b\n'] },
          ],
        },
      ],
      meta('01', 'Title'),
      { prev: meta('00', 'Tour'), next: meta('02', 'Tokens') },
    );
    expect(page).toContain('<script src="assets/plotly.min.js" defer></script>');
    expect(page).toMatch(
      /<div class="plotly-chart" id="plotly-site-\d+" data-figure="plotly-site-\d+-figure"><div class="how-llms-plotly"><svg>static<\/svg><\/div><\/div>/,
    );
    expect(page).toMatch(/<script type="application\/json" id="plotly-site-\d+-figure">\{"data":\[\{"y":\[1\]\}\]/);
    expect(page).not.toContain('loader');
    expect(page).toContain('<svg><g aria-label="line"></g></svg>');
    expect(page).toContain('a &lt; b');
    expect(page).toContain('href="00-x.html"');
    expect(page).toContain('href="02-x.html"');
    const plain = renderChapter([{ cell_type: 'markdown', source: '# Plain' }], meta('03', 'Plain'), {}).html;
    expect(plain).not.toContain('plotly.min.js');
  });

  it('gives headings ids and turns each section into a search entry', () => {
    const { html, sections } = renderChapter(
      [
        {
          cell_type: 'markdown',
          source: '# Attention\n\nIntro $q_i$.\n\n## Masks\n\nThe causal mask.\n\n## Masks\n\nAgain.',
        },
      ],
      meta('05', 'Attention'),
      {},
    );
    expect(html).toContain('<h2 id="masks">');
    expect(html).toContain('<h2 id="masks-2">');
    expect(sections.map((s) => [s.anchor, s.title])).toEqual([
      ['attention', 'Chapter 5: Attention'],
      ['masks', 'Chapter 5 › Masks'],
      ['masks-2', 'Chapter 5 › Masks'],
    ]);
    expect(sections[1].text).toContain('The causal mask.');
    expect(sections[1].text).not.toContain('<');
  });

  it('lists exercises once: inside the notebook own Exercises section when it has one, rendered as Markdown', () => {
    const m = {
      ...meta('05', 'Attention'),
      chapterKey: 'ch05-attention',
      exercises: [
        {
          file: 'exercises/ch05-attention/softmax.ts',
          name: 'stableSoftmax',
          doc: 'Softmax of `x` over the last axis, $m = \\max_k x_k$.',
        },
      ],
    };
    const own = renderChapter(
      [{ cell_type: 'markdown', source: '# A\n\n## Exercises\n\nImplement `stableSoftmax`.' }],
      m,
      {},
    ).html;
    expect(own.match(/stableSoftmax<\/code> <span/g)).toHaveLength(1);
    expect(own).toContain('<code>x</code>');
    expect(own).toContain('class="katex"');
    expect(own.match(/<h2[^>]*>Exercises/g)).toHaveLength(1);
    const none = renderChapter([{ cell_type: 'markdown', source: '# A' }], m, {}).html;
    expect(none.match(/<h2[^>]*>Exercises/g)).toHaveLength(1);
  });

  it('numbers the chapters from 0 on the index and keeps math and underscores in summaries', () => {
    const html = renderIndex(
      [
        { ...meta('00', 'Tour'), summary: 'Predict $x_t$ given the ones before it, with `worker_threads`.' },
        meta('01', 'RNNs'),
      ],
      '# Course',
    );
    expect(
      html
        .slice(html.indexOf('<ol class="chapters">'))
        .match(/<li><a href="0\d-x\.html"><span class="num">(\d+)<\/span>/g)
        ?.map((m) => m.match(/num">(\d+)/)?.[1]),
    ).toEqual(['0', '1']);
    expect(html).toContain('class="katex"');
    expect(html).toContain('<code>worker_threads</code>');
    expect(renderInline('a_b and c_d')).toContain('a_b and c_d');
  });

  it('keeps wide things inside their own scrolling box, has a dark mode, and no box in a box', () => {
    expect(renderMarkdown('| a | b |\n| --- | --- |\n| 1 | 2 |')).toContain('<div class="table-wrap"><table>');
    expect(SITE_CSS).toMatch(/\.katex-display \{ overflow-x: auto/);
    expect(SITE_CSS).toMatch(/\.table-wrap \{ overflow-x: auto/);
    expect(SITE_CSS).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(SITE_CSS).toMatch(/pre\.code code\.hljs[^{]*\{[^}]*background: transparent/);
  });

  it('describes a notebook by its title (without a number) and first paragraph, as Markdown', () => {
    const d = describeNotebook('07-pretraining.ipynb', [
      { cell_type: 'markdown', source: '# 7. Pre-training\n\nWe train a **GPT** on\n$p(x_t)$.\n\nMore.' },
    ]);
    expect(d).toEqual({ number: '07', title: 'Pre-training', summary: 'We train a **GPT** on $p(x_t)$.' });
  });

  it('takes the first paragraph of a doc comment as the contract', () => {
    expect(
      firstParagraph('\n * Softmax over the last axis.\n *   softmax(x)_j = exp(x_j)\n *\n * Example: not this.\n '),
    ).toBe('Softmax over the last axis.\n  softmax(x)_j = exp(x_j)');
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
