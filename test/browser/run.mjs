#!/usr/bin/env node
// The learner's view, tested where the learner sees it: a Jupyter server on loopback with the course kernel,
// headless Chromium (Debian's, through playwright-core) running every cell of chosen notebooks, then the
// generated static site. Screenshots go to test-artifacts/browser/.
//   node test/browser/run.mjs [notebooks/00-tour.ipynb …]   (default: the notebooks in BROWSER_NOTEBOOKS below)
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { registerKernel } from '../../scripts/register-kernel.mjs';
import { jupyterEnv } from '../../scripts/run-notebooks.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'test-artifacts', 'browser');
const BROWSER_NOTEBOOKS = ['00-tour.ipynb'];
const CELL_TIMEOUT_MS = 300_000;
const checks = [];

function check(name, ok, detail = '') {
  checks.push({ name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

function chromiumPath() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('No Chromium found: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.');
  return found;
}

async function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startJupyter(notebookDir, frontEnd = 'notebook') {
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const args =
    frontEnd === 'lab'
      ? [
          'lab',
          '--no-browser',
          `--port=${port}`,
          '--ip=127.0.0.1',
          `--IdentityProvider.token=${token}`,
          `--ServerApp.root_dir=${notebookDir}`,
          '--LabApp.expose_app_in_browser=True',
        ]
      : [
          'notebook',
          '--no-browser',
          `--port=${port}`,
          '--ip=127.0.0.1',
          `--NotebookApp.token=${token}`,
          `--notebook-dir=${notebookDir}`,
        ];
  if (process.getuid?.() === 0) args.push('--allow-root');
  // JupyterLab may live in a venv of its own (HOW_LLMS_JUPYTER_LAB=/path/to/venv/bin/jupyter).
  const command = frontEnd === 'lab' ? (process.env.HOW_LLMS_JUPYTER_LAB ?? 'jupyter') : 'jupyter';
  const server = spawn(command, args, {
    env: jupyterEnv({ HOW_LLMS_PROFILE: process.env.HOW_LLMS_PROFILE ?? 'ci' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`${base}/api/kernelspecs?token=${token}`);
      if (res.ok) {
        const specs = await res.json();
        return { server, base, token, specs, log: () => log };
      }
    } catch {
      // not up yet
    }
    if (server.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  throw new Error(
    `The Jupyter server did not start (is classic Notebook installed? apt-get install jupyter-notebook):\n${log}`,
  );
}

async function checkNotebook(page, base, token, file) {
  const name = path.basename(file, '.ipynb');
  page.setDefaultTimeout(120_000);
  await page.goto(`${base}/notebooks/${file}?token=${token}`);
  await page.waitForFunction(() => window.Jupyter?.notebook?.kernel?.is_connected?.(), null, { timeout: 120_000 });
  const kernelName = await page.evaluate(() => window.Jupyter.notebook.kernel.name);
  check(`${name}: runs on the course's TypeScript kernel`, kernelName === 'how-llms-work', kernelName);
  // Count redraws of each code cell's outputs while the notebook runs.
  await page.evaluate(() => {
    window.__redraws = new Map();
    const cells = window.Jupyter.notebook.get_cells();
    cells.forEach((cell, i) => {
      if (cell.cell_type !== 'code') return;
      const target = cell.element[0].querySelector('.output');
      new MutationObserver(() => window.__redraws.set(i, (window.__redraws.get(i) ?? 0) + 1)).observe(target, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    window.Jupyter.notebook.set_autosave_interval(0);
    window.Jupyter.notebook.execute_all_cells();
  });
  const started = Date.now();
  await page.waitForFunction(
    () => {
      const nb = window.Jupyter.notebook;
      const code = nb.get_cells().filter((c) => c.cell_type === 'code');
      const failed = document.querySelector('.output_error');
      return failed || (!nb.kernel_busy && code.every((c) => typeof c.input_prompt_number === 'number'));
    },
    null,
    { timeout: CELL_TIMEOUT_MS, polling: 1000 },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const report = await page.evaluate(() => {
    const cells = window.Jupyter.notebook.get_cells();
    return cells.map((cell, i) => {
      const el = cell.element[0];
      const svgs = [...el.querySelectorAll('.output_area svg')].filter(
        (s) => !s.closest('.js-plotly-plot') && !s.closest('.how-llms-plotly'),
      );
      const charts = svgs.filter((s) => s.querySelector('[aria-label]'));
      return {
        i,
        type: cell.cell_type,
        source: cell.get_text(),
        prompt: cell.input_prompt_number ?? null,
        errors: el.querySelectorAll('.output_error').length,
        stderr: [...el.querySelectorAll('.output_stderr')].map((e) => e.textContent).join('\n'),
        outputs: el.querySelectorAll('.output_area').length,
        staticCharts: charts.length,
        chartMarks: charts.map(
          (s) =>
            s.querySelectorAll('[aria-label] path, [aria-label] rect, [aria-label] circle, [aria-label] line').length,
        ),
        plotly: el.querySelectorAll('.js-plotly-plot .main-svg').length,
        redraws: window.__redraws.get(i) ?? 0,
      };
    });
  });
  const code = report.filter((c) => c.type === 'code');
  const broken = code.filter((c) => c.errors > 0 || /error/i.test(c.stderr) || typeof c.prompt !== 'number');
  check(
    `${name}: every cell ran without error (${code.length} code cells, ${seconds} s)`,
    broken.length === 0,
    broken.map((c) => `cell ${c.i + 1}: ${c.stderr.slice(0, 300) || 'did not finish'}`).join('; '),
  );
  const charts = code.filter((c) => c.staticCharts > 0);
  check(
    `${name}: static charts are SVGs with marks in them`,
    charts.length > 0 && charts.every((c) => c.chartMarks.every((n) => n > 0)),
    `${charts.length} cells with charts`,
  );
  const interactive = code.filter((c) => /(plotly|heatmap|liveLossChart)\(/.test(c.source));
  check(
    `${name}: interactive charts are rendered Plotly graphs`,
    interactive.length > 0 && interactive.every((c) => c.plotly > 0),
    interactive.map((c) => `cell ${c.i + 1}: ${c.plotly}`).join('; '),
  );
  const live = code.filter((c) => /liveLossChart\(/.test(c.source));
  check(
    `${name}: the live loss chart updates in place and ends interactive`,
    live.length === 0 || live.every((c) => c.redraws >= 2 && c.plotly > 0 && c.outputs <= 3),
    live.map((c) => `cell ${c.i + 1}: ${c.redraws} redraws, ${c.plotly} Plotly chart, ${c.outputs} outputs`).join('; '),
  );
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  if (!interactive.length) return;

  // Issue 19, point 1: after a reload (the kernel still running) the saved charts are interactive again, a re-run
  // draws an interactive chart too, and hovering shows values.
  await page.evaluate(() => window.Jupyter.notebook.save_notebook());
  await page.waitForTimeout(1500);
  await page.reload();
  await page.waitForFunction(() => window.Jupyter?.notebook?.kernel?.is_connected?.(), null, { timeout: 120_000 });
  await page.waitForTimeout(3000);
  const afterReload = await page.evaluate(
    (cells) =>
      cells.map(
        (i) => window.Jupyter.notebook.get_cell(i).element[0].querySelectorAll('.js-plotly-plot .main-svg').length,
      ),
    interactive.map((c) => c.i),
  );
  check(
    `${name}: after a reload the saved charts are interactive`,
    afterReload.every((n) => n > 0),
    afterReload.join(' '),
  );
  // The hard case: a page with no chart and no plotly.js yet (outputs cleared, saved, reloaded; the kernel has already
  // drawn charts in this session), then a chart cell runs again.
  await page.evaluate(() => {
    window.Jupyter.notebook.clear_all_output();
    return window.Jupyter.notebook.save_notebook();
  });
  await page.waitForTimeout(1500);
  await page.reload();
  await page.waitForFunction(() => window.Jupyter?.notebook?.kernel?.is_connected?.(), null, { timeout: 120_000 });
  const plotlyBefore = await page.evaluate(() => Boolean(window.Plotly));
  const rerun = interactive.find((c) => /plotly\(/.test(c.source)) ?? interactive[0];
  await page.evaluate((i) => {
    window.__rerun = false;
    const cell = window.Jupyter.notebook.get_cell(i);
    window.Jupyter.notebook.select(i);
    cell.execute();
    window.Jupyter.notebook.events.one('finished_execute.CodeCell', () => (window.__rerun = true));
  }, rerun.i);
  await page.waitForFunction(() => window.__rerun === true && !window.Jupyter.notebook.kernel_busy, null, {
    timeout: CELL_TIMEOUT_MS,
    polling: 500,
  });
  await page.waitForTimeout(2000);
  const rerunCharts = await page.evaluate(
    (i) => window.Jupyter.notebook.get_cell(i).element[0].querySelectorAll('.js-plotly-plot .main-svg').length,
    rerun.i,
  );
  check(
    `${name}: re-running a chart cell on a fresh page (no plotly.js loaded, kernel not restarted) draws it interactive`,
    !plotlyBefore && rerunCharts > 0,
    `plotly.js before: ${plotlyBefore}; cell ${rerun.i + 1}: ${rerunCharts}`,
  );
  const label = await hoverShowsLabel(page, `#notebook-container .cell:nth-child(${rerun.i + 1}) .js-plotly-plot`);
  check(`${name}: hovering a chart shows the value under the pointer`, label.length > 0, label.slice(0, 80));
  await page.screenshot({ path: path.join(artifacts, `${name}-after-reload.png`), fullPage: true });
}

/** JupyterLab 4 (when installed): Run All, charts interactive, then a fresh page and a re-run, and hover. */
async function checkLab(browser, base, token, file) {
  const name = `lab ${path.basename(file, '.ipynb')}`;
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.setDefaultTimeout(180_000);
  const open = async () => {
    await page.goto(`${base}/lab/tree/${file}?token=${token}`);
    await page.waitForFunction(
      () => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel?.status === 'idle',
      null,
      { timeout: 180_000, polling: 500 },
    );
  };
  const runAndWait = async (command) => {
    await page.evaluate((c) => window.jupyterapp.commands.execute(c), command);
    await page.waitForTimeout(2000);
    await page.waitForFunction(
      () => {
        const panel = window.jupyterapp.shell.currentWidget;
        return (
          panel.sessionContext.session.kernel.status === 'idle' &&
          ![...document.querySelectorAll('.jp-InputPrompt')].some((p) => p.textContent.includes('*'))
        );
      },
      null,
      { timeout: CELL_TIMEOUT_MS, polling: 1000 },
    );
    await page.waitForTimeout(2000);
  };
  await open();
  const kernel = await page.evaluate(() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name);
  check(`${name}: runs on the course's TypeScript kernel`, kernel === 'how-llms-work', kernel);
  await runAndWait('notebook:run-all-cells');
  const errors = await page
    .locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    .allTextContents();
  const charts = await page.locator('.jp-OutputArea .js-plotly-plot .main-svg').count();
  check(
    `${name}: Run All draws interactive Plotly charts`,
    charts > 0,
    `${charts} Plotly svgs${errors.length ? `; stderr: ${errors.join(' ').slice(0, 200)}` : ''}`,
  );
  // A fresh page without outputs and without plotly.js (the kernel keeps running), then a chart cell again.
  await page.evaluate(() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs'));
  await page.evaluate(() => window.jupyterapp.commands.execute('docmanager:save'));
  await page.waitForTimeout(1500);
  await open();
  const plotlyBefore = await page.evaluate(() => Boolean(window.Plotly));
  const index = await page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = panel.content.widgets;
    const i = cells.findIndex((c) => c.model.type === 'code' && /L\.plotly\(/.test(c.model.sharedModel.getSource()));
    panel.content.activeCellIndex = Math.max(0, i);
    return i;
  });
  // Cells before it define what it uses: run them and it.
  await page.evaluate((i) => {
    window.jupyterapp.shell.currentWidget.content.activeCellIndex = i;
  }, index);
  await runAndWait('notebook:run-all-above');
  await page.evaluate((i) => {
    window.jupyterapp.shell.currentWidget.content.activeCellIndex = i;
  }, index);
  await runAndWait('notebook:run-cell');
  const rerun = await page.locator('.jp-OutputArea .js-plotly-plot .main-svg').count();
  check(
    `${name}: on a fresh page (no plotly.js loaded, kernel not restarted) a re-run chart is interactive`,
    !plotlyBefore && rerun > 0,
    `plotly.js before: ${plotlyBefore}; ${rerun} Plotly svgs`,
  );
  const label = await hoverShowsLabel(page, '.jp-OutputArea .js-plotly-plot');
  check(`${name}: hovering a chart shows the value under the pointer`, label.length > 0, label.slice(0, 80));
  await page.screenshot({ path: path.join(artifacts, `${path.basename(file, '.ipynb')}-lab.png`) });
  await page.close();
}

/** Pages wider than the viewport: the page scrolls sideways (a phone's worst habit). */
async function sidewaysScroll(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    return doc.scrollWidth - doc.clientWidth;
  });
}

async function hoverShowsLabel(page, selector) {
  // Plotly draws hover labels into .hoverlayer when the pointer is over a data point.
  const plot = page.locator(selector).first();
  await plot.scrollIntoViewIfNeeded();
  const box = await plot.locator('.nsewdrag').first().boundingBox();
  if (!box) return '';
  for (const [fx, fy] of [
    [0.5, 0.5],
    [0.3, 0.6],
    [0.7, 0.4],
    [0.2, 0.2],
    [0.8, 0.8],
  ]) {
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
    await page.waitForTimeout(300);
    const text = await plot.locator('.hoverlayer').textContent();
    if (text && text.trim()) return text.trim();
  }
  return '';
}

async function checkSite(browser, siteDir) {
  const index = path.join(siteDir, 'index.html');
  if (!fs.existsSync(index)) {
    check(
      'site: was built before the browser test',
      false,
      `${index} is missing (npm test builds it from the executed notebooks)`,
    );
    return;
  }
  const url = (file) => `file://${path.join(siteDir, file)}`;
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.setDefaultTimeout(120_000);
  await page.goto(url('index.html'));
  const numbers = await page.locator('ol.chapters > li > a .num').allTextContents();
  check(
    'site: the index numbers the chapters as the course does, from 0',
    numbers.length > 0 && numbers.every((n, i) => Number(n) === i),
    numbers.join(' '),
  );
  const pages = fs
    .readdirSync(siteDir)
    .filter((f) => /^\d\d-.*\.html$/.test(f))
    .sort();

  // Navigation: the sidebar lists every chapter and marks the open one; previous/next walk the course.
  await page.goto(url(pages[1]));
  const sidebar = await page.locator('#sidebar .toc a').count();
  const current = await page.locator('#sidebar .toc li.current a').getAttribute('href');
  check(
    'site: the chapter sidebar lists every chapter and marks the open one',
    sidebar === pages.length && current === pages[1],
    `${sidebar} links, current ${current}`,
  );
  await page.click('.pager a[rel="next"]');
  check('site: "next" goes to the following chapter', page.url().endsWith(pages[2]), page.url());
  await page.click('.pager a[rel="prev"]');
  check('site: "previous" comes back', page.url().endsWith(pages[1]), page.url());

  // Search: an index built with the site, searched in the page.
  await page.fill('#search', 'softmax');
  const hits = await page.locator('#search-results li a').count();
  check('site: search finds a term in the chapters', hits > 0, `${hits} sections mention softmax`);
  if (hits > 0) {
    const href = await page.locator('#search-results li a').first().getAttribute('href');
    await page.locator('#search-results li a').first().click();
    await page.waitForTimeout(300);
    const anchor = decodeURIComponent(href.split('#')[1] ?? '');
    const landed = anchor ? await page.locator(`[id="${anchor}"]`).count() : 1;
    check(
      'site: a search result opens the section it names',
      page.url().includes(href.split('#')[0]) && landed === 1,
      href,
    );
  }

  // plotly.js only where a chart needs it, and never blocking the page.
  const scripts = pages.map((f) => ({ f, html: fs.readFileSync(path.join(siteDir, f), 'utf8') }));
  const withPlotly = scripts.filter((p) => p.html.includes('assets/plotly.min.js'));
  check(
    'site: plotly.js is loaded only by pages with an interactive chart, deferred',
    withPlotly.length > 0 &&
      withPlotly.length < pages.length &&
      scripts.every((p) => p.html.includes('class="plotly-chart"') === p.html.includes('assets/plotly.min.js')) &&
      withPlotly.every((p) => /<script src="assets\/plotly\.min\.js" defer><\/script>/.test(p.html)),
    `${withPlotly.length} of ${pages.length} pages`,
  );

  // Interactive charts respond to the pointer.
  const interactive = withPlotly.find((p) => p.f.startsWith('05-')) ?? withPlotly[0];
  if (interactive) {
    await page.goto(url(interactive.f));
    await page.waitForSelector('.plotly-chart .main-svg', { timeout: 30_000 });
    const charts = await page.locator('.plotly-chart .main-svg').count();
    check(
      'site: a chapter page draws its Plotly charts offline',
      charts > 0,
      `${charts} Plotly svgs in ${interactive.f}`,
    );
    const label = await hoverShowsLabel(page, '.plotly-chart');
    check(
      'site: hovering an interactive chart shows the value under the pointer',
      label.length > 0,
      label.slice(0, 80),
    );
  }
  await page.goto(url('00-tour.html'));
  const marks = await page.locator('.chart svg [aria-label] path, .html-output svg [aria-label] path').count();
  check('site: a chapter page shows its static charts', marks > 0, `${marks} marks`);
  const titles = await page.locator('main figure h2, main figure h3').count();
  check('site: chart titles are captions, not section headings', titles === 0, `${titles} headings inside figures`);
  const nested = await page.locator('pre.code code.hljs').evaluateAll(
    (codes) =>
      codes.filter((c) => {
        const s = getComputedStyle(c);
        return s.backgroundColor !== 'rgba(0, 0, 0, 0)' && s.backgroundColor !== 'transparent';
      }).length,
  );
  check(
    'site: code sits in one box, not a box in a box',
    nested === 0,
    `${nested} code blocks with their own background`,
  );
  await page.screenshot({ path: path.join(artifacts, 'site-00-tour.png'), fullPage: true });
  await page.close();

  // A phone: no page scrolls sideways (display math, tables and charts scroll inside their own box).
  const phone = await browser.newPage({
    viewport: { width: 375, height: 800 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const wide = [];
  phone.setDefaultTimeout(120_000);
  for (const f of ['index.html', ...pages]) {
    await phone.goto(url(f), { waitUntil: 'domcontentloaded' });
    await phone.waitForTimeout(f === interactive?.f ? 1500 : 100);
    const extra = await sidewaysScroll(phone);
    if (extra > 0) wide.push(`${f} (+${extra}px)`);
  }
  check(
    'site: no page scrolls sideways on a 375 px phone',
    wide.length === 0,
    wide.join(', ') || `${pages.length + 1} pages`,
  );
  await phone.goto(url(pages[5] ?? pages[0]), { waitUntil: 'domcontentloaded' });
  await phone.click('.menu');
  const sidebarShown = await phone.locator('#sidebar').isVisible();
  check('site: on a phone the chapter list opens from the menu button', sidebarShown);
  await phone.screenshot({ path: path.join(artifacts, 'site-phone.png') });
  await phone.close();

  // Dark mode follows the system.
  const darkPage = await browser.newPage({ colorScheme: 'dark', viewport: { width: 1200, height: 900 } });
  await darkPage.goto(url(pages[0]));
  const background = await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const channels = background.match(/\d+/g).slice(0, 3).map(Number);
  check(
    'site: dark mode follows the system setting',
    channels.every((c) => c < 60),
    background,
  );
  await darkPage.close();
}

async function main() {
  const args = process.argv.slice(2);
  const siteOnly = args.includes('--site-only');
  const files = args.filter((a) => !a.startsWith('--')).map((f) => path.basename(f));
  const wanted = files.length ? files : BROWSER_NOTEBOOKS;
  fs.mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  let jupyter;
  try {
    if (!siteOnly) {
      // Run copies inside the repository (so the kernel finds the library), never the committed notebooks. The
      // server's root is the repository, as `npm start` serves it, so charts find plotly.js in node_modules.
      const copies = path.join(root, 'test-artifacts', 'browser-notebooks');
      fs.rmSync(copies, { recursive: true, force: true });
      fs.mkdirSync(copies, { recursive: true });
      for (const f of wanted) fs.copyFileSync(path.join(root, 'notebooks', f), path.join(copies, f));
      registerKernel();
      jupyter = await startJupyter(root);
      check('jupyter: the course kernel is registered', Boolean(jupyter.specs.kernelspecs?.['how-llms-work']));
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      for (const f of wanted)
        await checkNotebook(page, jupyter.base, jupyter.token, path.relative(root, path.join(copies, f)));
      await page.close();
      process.kill(-jupyter.server.pid, 'SIGTERM');
      jupyter = undefined;
      // JupyterLab is checked where it is installed (pip; Debian has no package for it).
      if (
        spawnSync(process.env.HOW_LLMS_JUPYTER_LAB ?? 'jupyter', ['lab', '--version'], {
          stdio: 'ignore',
          env: jupyterEnv(),
        }).status === 0
      ) {
        for (const f of wanted) fs.copyFileSync(path.join(root, 'notebooks', f), path.join(copies, f));
        jupyter = await startJupyter(root, 'lab');
        for (const f of wanted)
          await checkLab(browser, jupyter.base, jupyter.token, path.relative(root, path.join(copies, f)));
      } else {
        console.log(
          'note: JupyterLab is not installed here, so only classic Notebook was checked (python3 -m pip install jupyterlab adds the JupyterLab checks)',
        );
      }
    }
    await checkSite(browser, process.env.HOW_LLMS_SITE_DIR ?? path.join(root, 'test-artifacts', 'site'));
  } catch (err) {
    check('browser test ran to the end', false, err.message.split('\n')[0]);
  } finally {
    await browser.close();
    if (jupyter) {
      try {
        process.kill(-jupyter.server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  const failed = checks.filter((c) => !c.ok).length;
  console.log(
    `browser: ${checks.length - failed} passed, ${failed} failed (screenshots in ${path.relative(root, artifacts)})`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
