import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';

/**
 * Where the reference UI's bundle is served: a static asset (wrangler.toml `[assets]`), copied from
 * @scalar/api-reference's standalone build by dev/stack/assets.ts (wrangler.toml `[build]`), so
 * that /docs needs no CDN.
 */
export const DOCS_BUNDLE_PATH = '/docs/scalar.js';

// Scalar's HTML API: the empty script element carries the document URL and the configuration, the
// bundle mounts the reference next to it. No inline script, so the policy needs no nonce. The
// bundle injects its stylesheet and theme as <style> elements, hence 'unsafe-inline' for styles
// only. Default fonts (fonts.scalar.com), telemetry and the agent are off: nothing comes from
// elsewhere.
const configuration = JSON.stringify({
  withDefaultFonts: false,
  telemetry: false,
  // The hosted AI agent and the developer-tools bar talk to scalar.com.
  agent: { disabled: true },
  showDeveloperTools: 'never',
}).replaceAll('"', '&quot;');

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>crefans API</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json"
      data-configuration="${configuration}"></script>
    <script src="${DOCS_BUNDLE_PATH}"></script>
  </body>
</html>
`;

/** Only our own origin, and only what the UI uses (checked in headless Chromium, test/stack). */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function docsPage(c: Context<AppEnv>): Response {
  c.header('Content-Security-Policy', DOCS_CSP);
  return c.html(page);
}
