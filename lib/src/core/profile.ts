/**
 * The run profile sizes every training run in the course from one setting.
 * `HOW_LLMS_PROFILE=ci` trains briefly (CI executes every notebook); `full`, the default, is what a learner runs.
 * Same code path either way: only the numbers change.
 */
export type Profile = 'ci' | 'full';

/** Environment variable that chooses the profile. */
export const PROFILE_ENV = 'HOW_LLMS_PROFILE';

/** The active profile: `HOW_LLMS_PROFILE` (`ci` or `full`), default `full`. */
export function profile(): Profile {
  const value = (process.env[PROFILE_ENV] ?? 'full').trim().toLowerCase();
  if (value === '' || value === 'full') return 'full';
  if (value === 'ci') return 'ci';
  throw new Error(`${PROFILE_ENV}=${value} is not a profile; use "ci" (fast, for CI) or "full" (the default).`);
}

/** Pick the value for the active profile: `bySize({ ci: 50, full: 2000 })`. */
export function bySize<T>(sizes: { ci: T; full: T }): T {
  return sizes[profile()];
}
