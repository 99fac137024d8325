/**
 * Runs the tray's "Add token…" as the main process does — the IPC argument schema, then the
 * app's addToken over the real engine — in its own process, so a test can start it inside a
 * D-Bus session with a real gnome-keyring (the keyring library reads the process's own
 * environment). The request comes on stdin (the token never in argv); the CommandResult
 * goes to stdout as JSON.
 */
import { describeRefusal, INVOKE } from '../../common/ipc-contract.js';
import { makeAddToken } from '../../main/app/token-command.js';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const parsed = INVOKE.addToken.args.safeParse([JSON.parse(Buffer.concat(chunks).toString('utf8'))]);
if (!parsed.success) {
  process.stdout.write(JSON.stringify({ refusedByIpc: describeRefusal(parsed.error) }));
} else {
  const result = await makeAddToken({ engine: { env: process.env } })(parsed.data[0]);
  process.stdout.write(JSON.stringify(result));
}
