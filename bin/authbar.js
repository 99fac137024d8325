#!/usr/bin/env node
// The CLI is bundled into one file by `npm run build` (start-up time matters for cron).
import '../dist/cli/authbar.mjs';
