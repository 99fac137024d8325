#!/usr/bin/env node
// A sync of many agents is file I/O bound: give libuv more threads than its default 4
// (only effective before the pool first starts, hence here, before anything else).
process.env.UV_THREADPOOL_SIZE ??= '16';
// The CLI is bundled by `npm run build` (start-up time matters for cron).
await import('../dist/cli/authbar.mjs');
