// The Worker's static assets (wrangler.toml `[assets]`, directory dist/assets): the /docs reference
// UI's bundle, copied from the npm package's standalone build so that the page loads nothing from a
// CDN. wrangler.toml's [build] runs it before `wrangler dev` and `wrangler deploy`.
//   node dev/stack/assets.ts
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const ASSETS_DIR = 'dist/assets';

/** A file's path under ASSETS_DIR is its URL path (see DOCS_BUNDLE_PATH in src/routes/docs). */
const FILES: Array<{ pkg: string; file: string; url: string }> = [
  { pkg: '@scalar/api-reference', file: 'dist/browser/standalone.js', url: 'docs/scalar.js' },
];

/** The package's folder (its `exports` list neither package.json nor the browser build). */
function packageDir(require: NodeJS.Require, pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  while (!existsSync(join(dir, 'package.json')) || !dir.endsWith(pkg)) {
    if (dirname(dir) === dir) throw new Error(`cannot find the folder of ${pkg}`);
    dir = dirname(dir);
  }
  return dir;
}

function sameFile(a: string, b: string): boolean {
  try {
    if (statSync(a).size !== statSync(b).size) return false;
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

/** Copies the assets into <root>/dist/assets (a no-op when they are there); returns the dir. */
export function buildAssets(root: string): string {
  const require = createRequire(join(root, 'package.json'));
  const out = join(root, ASSETS_DIR);
  for (const { pkg, file, url } of FILES) {
    const source = join(packageDir(require, pkg), file);
    const target = join(out, url);
    if (sameFile(source, target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
  }
  return out;
}

if (import.meta.main) {
  const dir = buildAssets(join(import.meta.dirname, '..', '..'));
  console.log(`static assets ready in ${dir}`);
}
