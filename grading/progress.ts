/** A one-line progress bar on a terminal; one line per finished item elsewhere (logs, CI). */
export class Progress {
  private done = 0;
  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Count one item as finished, with a short note (e.g. `alice 10/12`). */
  tick(note: string): void {
    this.done++;
    const width = 24;
    const filled = Math.round((this.done / Math.max(1, this.total)) * width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[K${bar} ${note}`);
      if (this.done === this.total) this.stream.write('\n');
    } else this.stream.write(`${bar} ${note}\n`);
  }
}
