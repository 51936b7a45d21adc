#!/usr/bin/env node
// Runs the TypeScript sources directly (see docs/decisions/0001-run-typescript-sources.md).
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
