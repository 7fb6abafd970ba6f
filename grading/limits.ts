/** The limits one submission's test run lives under; the grader enforces them from outside the run. */
export interface Limits {
  /** Wall-clock seconds for all of one submission's runs together. */
  timeoutS: number;
  /** Seconds one test may run; vitest stops slow async tests, the grader's watchdog stops busy loops. */
  testTimeoutS: number;
  /** Seconds a test file may take to load (the library, TF.js, the submission) before its first test. */
  loadTimeoutS: number;
  /** Resident memory of the whole run (MB); the worker's JavaScript heap gets half. */
  memoryMb: number;
  /** Bytes of the run's own output kept for the instructor (the rest is dropped unread). */
  outputBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  timeoutS: 600,
  testTimeoutS: 60,
  loadTimeoutS: 120,
  memoryMb: 4096,
  outputBytes: 16_384,
};

/** Check limits given on the command line. */
export function checkLimits(l: Limits): Limits {
  for (const [name, value] of Object.entries(l)) {
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(
        `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a positive number, got ${value}`,
      );
  }
  if (l.testTimeoutS >= l.timeoutS)
    throw new Error(`--test-timeout-s (${l.testTimeoutS}) must be less than --timeout-s (${l.timeoutS})`);
  return l;
}
