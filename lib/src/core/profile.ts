/**
 * The run profile sizes every training run in the course from one setting.
 * `HOW_LLMS_PROFILE=ci` trains briefly (CI executes every notebook); `full`, the default, is what a learner runs.
 * Same code path either way: only the numbers change.
 */
import { SETTING_ENV, settings } from '../runtime';

export type Profile = 'ci' | 'full';

/** Environment variable that chooses the profile (read by the settings module, with every other HOW_LLMS_*). */
export const PROFILE_ENV = SETTING_ENV.profile;

/** The active profile: `HOW_LLMS_PROFILE` (`ci` or `full`), default `full`. */
export function profile(): Profile {
  return settings().profile;
}

/** Pick the value for the active profile: `bySize({ ci: 50, full: 2000 })`. */
export function bySize<T>(sizes: { ci: T; full: T }): T {
  return sizes[profile()];
}
