/** Entry of the `authbar` executable: real streams, real environment, exit code on the way out. */
import { run } from './main.js';

void run(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
  },
  { env: process.env },
).then((code) => {
  process.exitCode = code;
});
