#!/usr/bin/env node
// The CLI is bundled into one file by `npm run build` (start-up time matters for cron).
import '../dist/authbar.mjs';
