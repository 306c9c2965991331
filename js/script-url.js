// The classic-script build's `import.meta.url` (scripts/build.sh has esbuild inject this module and put
// `scriptUrl` in its place): the script's own URL, read while the script runs, so that the wasm is found
// next to it as it is next to the ES module. (In a worker's importScripts there is no current script: the
// worker's URL is the best guess left, and a wrong one gives the load error naming it.)
export const scriptUrl =
  typeof document !== "undefined" && document.currentScript ? document.currentScript.src : location.href;
