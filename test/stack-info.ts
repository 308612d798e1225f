// Reads the running test stack's description (written by `npm test` / `npm run stack -- up test`).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StackInfo } from '../dev/stack/stack.ts';

export function readStackInfo(): StackInfo {
  const file = resolve(process.env.CREFANS_STACK_FILE ?? '.test-stack/stack.json');
  if (!existsSync(file)) {
    throw new Error(
      `no stack description at ${file}: run the suites through \`npm test\` (it starts the stack)`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
}
