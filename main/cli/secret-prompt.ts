/**
 * Reading a secret: piped on stdin, or typed/pasted at a hidden prompt on a terminal (raw
 * mode: nothing is echoed, Ctrl-C cancels, Backspace deletes). The secret stays in memory.
 */
import { AuthBarError } from '../engine/errors.js';
import type { CliInput, CliIO } from './io.js';

/** More than this on stdin is not a token. */
const MAX_PIPED = 64 * 1024;

export async function readSecret(io: CliIO): Promise<string> {
  const stdin: CliInput = io.stdin ?? process.stdin;
  return stdin.isTTY && stdin.setRawMode ? promptHidden(stdin, io) : readPiped(stdin);
}

function promptHidden(stdin: CliInput, io: CliIO): Promise<string> {
  const setRawMode = (raw: boolean) => stdin.setRawMode?.(raw);
  io.stderr('Paste the token, then press Enter (it is not shown): ');
  return new Promise((resolve, reject) => {
    let buf = '';
    setRawMode(true);
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      io.stderr('\n');
      if (err) reject(err);
      else resolve(buf);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\u0003') return done(new AuthBarError('bad-secret', 'Cancelled: nothing was stored.'));
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

async function readPiped(stdin: CliInput): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > MAX_PIPED)
      throw new AuthBarError(
        'bad-secret',
        'More than 64 KiB arrived on stdin: that is not a token; pipe the token alone.',
      );
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
