/**
 * Put rich output in a notebook. Every chart helper builds a Jupyter MIME bundle (several renderings of one
 * thing, the front end picks the richest it can show) and hands it to tslab's kernel. Outside a kernel
 * (tests, scripts) nothing is displayed and the bundle is still returned, so the same code runs everywhere.
 */

/** A Jupyter MIME bundle: MIME type → content (`text/plain` is always present). */
export type MimeBundle = Record<string, unknown> & { 'text/plain': string };

interface DisplayPayload {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

type WriteDisplayData = (payload: DisplayPayload, update: boolean) => void;

function kernelWriter(): WriteDisplayData | undefined {
  try {
    // The kernel sets this while a cell runs; it is null anywhere else.
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}

/** True when code runs inside a notebook cell of the tslab kernel. */
export function inNotebook(): boolean {
  return kernelWriter() !== undefined;
}

/** Show a MIME bundle as a new output of the running cell; returns the bundle. */
export function display(bundle: MimeBundle): MimeBundle {
  kernelWriter()?.({ data: bundle, metadata: {}, transient: {} }, false);
  return bundle;
}

let nextId = 0;

/** An output area that can be redrawn in place (progress bars, live loss curves). */
export class LiveOutput {
  private readonly id = `how-llms-${process.pid}-${Date.now().toString(36)}-${nextId++}`;
  private shown = false;
  /** The most recent bundle, also outside a notebook (tests read it). */
  last?: MimeBundle;
  /** How many times the output was drawn or redrawn. */
  draws = 0;

  /** Draw the bundle, replacing what this output showed before. */
  update(bundle: MimeBundle): void {
    this.last = bundle;
    this.draws++;
    const write = kernelWriter();
    if (!write) return;
    write({ data: bundle, metadata: {}, transient: { display_id: this.id } }, this.shown);
    this.shown = true;
  }
}

/** Escape text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
