// Writes <file>.gz (gzip level 9) and <file>.br (brotli quality 11) beside every text asset in
// dist/, for the server to send when the client accepts them. A variant that is not smaller than
// the file is not written.
import { readdirSync, readFileSync, statSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
const types = new Set(['.js', '.css', '.html', '.svg', '.json', '.webmanifest']);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

if (!existsSync(dist)) {
  console.error('compress: no dist/ (run vite build first)');
  process.exit(1);
}

let written = 0;
let raw = 0;
let gz = 0;
for (const path of walk(dist)) {
  if (!types.has(extname(path))) continue;
  const data = readFileSync(path);
  const variants = [
    ['.gz', gzipSync(data, { level: 9 })],
    [
      '.br',
      brotliCompressSync(data, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }),
    ],
  ];
  for (const [ext, out] of variants) {
    const target = path + ext;
    if (out.length < data.length) {
      writeFileSync(target, out);
      written++;
    } else if (existsSync(target)) {
      rmSync(target);
    }
  }
  raw += data.length;
  gz += variants[0][1].length;
}
console.log(`compress: ${written} variants written (${(raw / 1024).toFixed(1)} KiB → ${(gz / 1024).toFixed(1)} KiB gzip)`);
