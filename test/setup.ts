// Every test file starts on the backend its project names (HOW_LLMS_BACKEND), chosen by the library's own module.
import { beforeAll } from 'vitest';
import { ready } from '@how-llms-work/lib';

beforeAll(async () => {
  await ready();
});
