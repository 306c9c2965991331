// Polls `probe` until it returns something truthy; rejects after `ms` naming what was awaited.
export async function waitFor(probe, what, ms = 3000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Starts listening on 127.0.0.1 with `port` (default: a free one) and resolves to "http://127.0.0.1:<port>".
export function listen(httpServer, port = 0) {
  return new Promise((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, "127.0.0.1", () => resolve(`http://127.0.0.1:${httpServer.address().port}`));
  });
}
