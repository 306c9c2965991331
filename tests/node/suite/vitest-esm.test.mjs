// Vitest, ES module: `import { io } from "socket.io-client"` (see scenarios.cjs).
import { afterEach, beforeEach, test } from "vitest";
import { io } from "socket.io-client";
import scenarios from "./scenarios.cjs";

scenarios({ io, test, beforeEach, afterEach });
