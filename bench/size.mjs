// Size budget: the bytes a page fetches for a client, raw, gzip -9 and brotli (quality 11), file by
// file as served (each file is its own HTTP response, so each is compressed on its own).
import { readFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

export function compressedSizes(bytes) {
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

// `files`: paths relative to `root`. Resolves to { files: [{ file, raw, gzip, brotli }], total }.
export function sizeBudget(root, files) {
  const rows = [...new Set(files)].sort().map((file) => ({ file, ...compressedSizes(readFileSync(path.join(root, file))) }));
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const row of rows) for (const key of Object.keys(total)) total[key] += row[key];
  return { files: rows, total };
}
