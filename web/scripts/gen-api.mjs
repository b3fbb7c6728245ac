// Generates src/api/schema.gen.ts from the server's OpenAPI document, so an API change that
// breaks the app breaks its build. The document is the file named by RESUMATE_OPENAPI
// (default ../build/openapi.json, written by `build/resumate openapi`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const input = resolve(webDir, process.env.RESUMATE_OPENAPI ?? '../build/openapi.json');
const output = resolve(webDir, 'src/api/schema.gen.ts');

if (!existsSync(input)) {
  console.error(
    `gen:api: no OpenAPI document at ${input}.\n` +
      'Write it with `build/resumate openapi > build/openapi.json` (make build does), ' +
      'or point RESUMATE_OPENAPI at one.',
  );
  process.exit(1);
}

const bin = resolve(webDir, 'node_modules/.bin/openapi-typescript');
const run = spawnSync(bin, [input, '--output', output], { stdio: 'inherit', cwd: webDir });
if (run.error) {
  console.error(`gen:api: could not run openapi-typescript (${run.error.message}); run npm ci first.`);
  process.exit(1);
}
process.exit(run.status ?? 1);
