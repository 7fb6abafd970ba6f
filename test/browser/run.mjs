#!/usr/bin/env node
// The learner's view, tested where the learner sees it: a Jupyter server on loopback with the course kernel,
// headless Chromium (Debian's, through playwright-core) running every cell of chosen notebooks, then the
// generated static site. Screenshots go to test-artifacts/browser/.
//   node test/browser/run.mjs [notebooks/00-tour.ipynb …]   (default: the notebooks in BROWSER_NOTEBOOKS below)
import { spawn } from 'node:child_process';
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
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
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

async function startJupyter(notebookDir) {
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const args = ['notebook', '--no-browser', `--port=${port}`, '--ip=127.0.0.1', `--NotebookApp.token=${token}`, `--notebook-dir=${notebookDir}`];
  if (process.getuid?.() === 0) args.push('--allow-root');
  const server = spawn('jupyter', args, { env: jupyterEnv({ HOW_LLMS_PROFILE: process.env.HOW_LLMS_PROFILE ?? 'ci' }), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
  } catch {}
  throw new Error(`The Jupyter server did not start (is classic Notebook installed? apt-get install jupyter-notebook):\n${log}`);
}

async function checkNotebook(page, base, token, file) {
  const name = path.basename(file, '.ipynb');
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
      new MutationObserver(() => window.__redraws.set(i, (window.__redraws.get(i) ?? 0) + 1)).observe(target, { childList: true, subtree: true, characterData: true });
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
      const svgs = [...el.querySelectorAll('.output_area svg')].filter((s) => !s.closest('.js-plotly-plot') && !s.closest('.how-llms-plotly'));
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
        chartMarks: charts.map((s) => s.querySelectorAll('[aria-label] path, [aria-label] rect, [aria-label] circle, [aria-label] line').length),
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
  check(`${name}: static charts are SVGs with marks in them`, charts.length > 0 && charts.every((c) => c.chartMarks.every((n) => n > 0)), `${charts.length} cells with charts`);
  const plotly = code.filter((c) => /plotly\(/.test(c.source));
  check(`${name}: interactive charts are rendered Plotly graphs`, plotly.length === 0 || plotly.every((c) => c.plotly > 0), `${plotly.length} Plotly cells`);
  const live = code.filter((c) => /liveLossChart\(/.test(c.source));
  check(
    `${name}: the live loss chart updates in place`,
    live.length === 0 || live.every((c) => c.redraws >= 2 && c.staticCharts === 1),
    live.map((c) => `cell ${c.i + 1}: ${c.redraws} redraws, ${c.staticCharts} chart`).join('; '),
  );
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

async function checkSite(page, siteDir) {
  const index = path.join(siteDir, 'index.html');
  if (!fs.existsSync(index)) {
    check('site: was built before the browser test', false, `${index} is missing (npm test builds it from the executed notebooks)`);
    return;
  }
  await page.goto(`file://${index}`);
  const links = await page.locator('ol.chapters a').count();
  check('site: the index lists the chapters', links > 0, `${links} chapters`);
  await page.goto(`file://${path.join(siteDir, '00-tour.html')}`);
  await page.waitForTimeout(1000);
  const plotly = await page.locator('.js-plotly-plot .main-svg').count();
  const marks = await page.locator('.chart svg [aria-label] path, .html-output svg [aria-label] path').count();
  check('site: a chapter page draws its Plotly chart offline', plotly > 0, `${plotly} Plotly svgs`);
  check('site: a chapter page shows its static charts', marks > 0, `${marks} marks`);
  await page.screenshot({ path: path.join(artifacts, 'site-00-tour.png'), fullPage: true });
}

async function main() {
  const files = process.argv.slice(2).map((f) => path.basename(f));
  const wanted = files.length ? files : BROWSER_NOTEBOOKS;
  fs.mkdirSync(artifacts, { recursive: true });
  // Run copies inside the repository (so the kernel finds the library), never the committed notebooks.
  const copies = path.join(root, 'test-artifacts', 'browser-notebooks');
  fs.rmSync(copies, { recursive: true, force: true });
  fs.mkdirSync(copies, { recursive: true });
  for (const f of wanted) fs.copyFileSync(path.join(root, 'notebooks', f), path.join(copies, f));
  registerKernel();
  const jupyter = await startJupyter(copies);
  check('jupyter: the course kernel is registered', Boolean(jupyter.specs.kernelspecs?.['how-llms-work']));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    for (const f of wanted) await checkNotebook(page, jupyter.base, jupyter.token, f);
    await checkSite(page, process.env.HOW_LLMS_SITE_DIR ?? path.join(root, 'test-artifacts', 'site'));
  } catch (err) {
    check('browser test ran to the end', false, err.message.split('\n')[0]);
  } finally {
    await browser.close();
    try {
      process.kill(-jupyter.server.pid, 'SIGTERM');
    } catch {}
  }
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`browser: ${checks.length - failed} passed, ${failed} failed (screenshots in ${path.relative(root, artifacts)})`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
