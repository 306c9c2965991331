// Medians, ratios and the stdout table.

export function median(values) {
  const sorted = values.filter((value) => typeof value === "number" && Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function ratio(a, b) {
  return a == null || b == null || b === 0 ? null : a / b;
}

const fixed = (digits) => (value) => (value == null ? "n/a" : value.toFixed(digits));
const kib = (value) => (value == null ? "n/a" : `${(value / 1024).toFixed(0)} KiB`);
const bytes = (value) => (value == null ? "n/a" : value.toLocaleString("en-US"));
const times = (value) => (value == null ? "n/a" : `${value.toFixed(2)}x`);

export const FORMATS = { ms: fixed(1), ms3: fixed(3), kib, bytes };

// rows: [{ label, unit, ours, official, raw }] -> aligned text, with the two ratio columns.
export function table(title, rows) {
  const header = ["", "ours", "official", "raw", "ours/official", "ours/raw"];
  const lines = rows.map((row) => {
    if (row.section) return [row.section];
    const format = FORMATS[row.unit];
    return [
      row.label,
      format(row.ours),
      format(row.official),
      format(row.raw),
      times(ratio(row.ours, row.official)),
      times(ratio(row.ours, row.raw)),
    ];
  });
  const widths = header.map((_, column) =>
    Math.max(header[column].length, ...lines.filter((line) => line.length > 1).map((line) => line[column].length)),
  );
  const render = (line) =>
    line.length === 1
      ? line[0]
      : line.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]))).join("  ");
  const rule = "-".repeat(widths.reduce((sum, width) => sum + width + 2, -2));
  return [title, rule, render(header), rule, ...lines.map(render), rule].join("\n");
}

// The size budget table: one row per file of ours, our total, the official file.
export function sizeTable(size) {
  const header = ["bytes fetched (as published)", "raw", "gzip -9", "brotli 11"];
  const lines = [];
  for (const row of size.ours.files) lines.push([`ours: ${row.file}`, bytes(row.raw), bytes(row.gzip), bytes(row.brotli)]);
  lines.push(["ours: total", bytes(size.ours.total.raw), bytes(size.ours.total.gzip), bytes(size.ours.total.brotli)]);
  for (const row of size.official.files) {
    lines.push([`official: ${row.file}`, bytes(row.raw), bytes(row.gzip), bytes(row.brotli)]);
  }
  if (size.officialQuoted) {
    const q = size.officialQuoted;
    lines.push(["official: as quoted in the issue (gzip: GNU gzip -9)", bytes(q.raw), bytes(q.gzip), bytes(q.brotli)]);
  }
  const r = (key) => times(ratio(size.ours.total[key], size.official.total[key]));
  lines.push(["ours/official (measured)", r("raw"), r("gzip"), r("brotli")]);
  const widths = header.map((_, column) => Math.max(header[column].length, ...lines.map((line) => line[column].length)));
  const render = (line) =>
    line.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]))).join("  ");
  const rule = "-".repeat(widths.reduce((sum, width) => sum + width + 2, -2));
  const note = "gzip -9: node zlib level 9; brotli 11: node zlib quality 11; each file compressed on its own";
  return ["Size budget", rule, render(header), rule, ...lines.map(render), rule, note].join("\n");
}
