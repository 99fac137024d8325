/** Entry of the `authbar` executable: real streams, real environment, exit code on the way out. */
import { EXIT } from './io.js';
import { run } from './main.js';

/**
 * A reader that quits early (`authbar status | head -1`) closes the pipe: writing then
 * fails with EPIPE. That is the reader's choice, not AuthBar's failure: the rest of the
 * output is dropped quietly and the command's own exit code stands (a stack trace and
 * exit 1 would read as "act now"). Any other stream error is reported in one sentence.
 */
const closed = { stdout: false, stderr: false };
let stdoutGone: () => void = () => {};
const stdoutClosed = new Promise<void>((resolve) => (stdoutGone = resolve));
function guard(name: 'stdout' | 'stderr'): void {
  process[name].on('error', (err: NodeJS.ErrnoException) => {
    closed[name] = true;
    if (name === 'stdout') stdoutGone();
    if (err.code === 'EPIPE') return;
    if (!closed.stderr && name === 'stdout')
      process.stderr.write(`authbar: could not write to ${name} (${err.code ?? err.message}).\n`);
    process.exitCode = EXIT.ioErr;
  });
}
guard('stdout');
guard('stderr');

function write(name: 'stdout' | 'stderr', text: string): void {
  if (closed[name]) return;
  process[name].write(text);
}

void run(
  process.argv.slice(2),
  {
    stdout: (text) => write('stdout', text),
    stderr: (text) => write('stderr', text),
    isTTY: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
    stdoutClosed,
  },
  { env: process.env },
).then((code) => {
  if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
});
