/**
 * The accelerator's thread controls that the library's own data-parallel trainer needs (scale/gpt-data-parallel.ts):
 * the machine's physical cores, and the native addon's one thread pool, which every thread of the process shares.
 * Not part of the library's top level: a learner sets threads with HOW_LLMS_THREADS or on @how-llms-work/accel.
 */
export { physicalCores, setNativeThreads } from '@how-llms-work/accel';
