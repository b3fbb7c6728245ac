// Validates an OpenAPI document (the file `resumate openapi -o FILE` writes) as OpenAPI 3.1.
// Usage: node tests/web/openapi-valid.mjs <openapi.json>
// Exit 0 when valid, 1 with the validator's errors printed when not, 2 on a usage error.
import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';

const file = process.argv[2];
if (!file) {
  console.error('usage: node openapi-valid.mjs <openapi.json>');
  process.exit(2);
}

let document;
try {
  document = JSON.parse(await readFile(file, 'utf8'));
} catch (error) {
  console.error(`${file}: not readable JSON: ${error.message}`);
  process.exit(1);
}

if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1.')) {
  console.error(`${file}: "openapi" is ${JSON.stringify(document.openapi)}, expected 3.1.x`);
  process.exit(1);
}

const validator = new Validator();
const result = await validator.validate(document);
if (!result.valid) {
  console.error(`${file}: not a valid OpenAPI ${validator.version ?? '3.1'} document:`);
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
const paths = Object.keys(document.paths ?? {}).length;
console.log(`${file}: valid OpenAPI ${document.openapi} (${paths} paths)`);
