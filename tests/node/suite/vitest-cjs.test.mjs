// Vitest, CommonJS: the client loaded with require() (Vitest's own API is ESM only; see scenarios.cjs).
import { createRequire } from "node:module";
import { afterEach, beforeEach, test } from "vitest";
import scenarios from "./scenarios.cjs";

const io = createRequire(import.meta.url)("socket.io-client");
scenarios({ io, test, beforeEach, afterEach });
