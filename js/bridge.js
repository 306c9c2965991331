// The JSON/binary bridge used by the wasm shell (src/wasm/): native JSON with the binary placeholder
// swap, and the few callbacks wasm-bindgen cannot express (variadic ack functions, async re-throw).

const isBinary = (value) =>
  value instanceof ArrayBuffer ||
  ArrayBuffer.isView(value) ||
  (typeof Blob !== "undefined" && value instanceof Blob);

/** JSON text of `value`; every binary value is pushed to `attachments` and replaced by a placeholder. */
export function stringifyArgs(value, attachments) {
  return JSON.stringify(value, (_key, item) => {
    if (item !== null && typeof item === "object" && isBinary(item)) {
      attachments.push(item);
      return { _placeholder: true, num: attachments.length - 1 };
    }
    return item;
  });
}

/** Parses `text`; with attachments, placeholders are replaced (a bad index throws). */
export function parseArgs(text, attachments) {
  if (attachments.length === 0) return JSON.parse(text);
  return JSON.parse(text, (_key, item) => {
    if (item !== null && typeof item === "object" && item._placeholder === true) {
      const num = item.num;
      if (typeof num === "number" && num >= 0 && num < attachments.length && Number.isInteger(num)) {
        return attachments[num];
      }
      throw new Error("illegal attachments");
    }
    return item;
  });
}

/** The function handed to a listener when the server asked for an acknowledgement. */
export function ackFunction(manager, ns, id) {
  return (...args) => manager._wasm.ack(ns, id, args);
}

/** The callback given to an `auth` function: it sends the namespace's CONNECT with its argument. */
export function authCallback(manager, ns) {
  return (data) => manager._wasm.sendConnect(ns, data);
}

/**
 * Re-raises a listener's exception outside the wasm call stack. socket.io-client runs listeners inside
 * promise jobs, so the page sees an `unhandledrejection` carrying the error: the same here.
 */
export function rethrow(error) {
  Promise.reject(error);
}
