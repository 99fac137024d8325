/** A host's name rule, free of zod so the details window's bundle can use it (common/host-entry.ts re-exports it). */

/** A host's name: short, safe in a menu, a file name and a command line (`--host vps`). */
export const HOST_NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/;
