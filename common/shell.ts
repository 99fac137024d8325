/**
 * POSIX shell quoting for the commands AuthBar prints for a user to paste (doctor's fixes, the
 * command that removes a token): a path with a space, a quote or `$` must reach the program as
 * one word, unchanged. Pure and import-free.
 */

/** Characters no POSIX shell (nor zsh, nor fish) gives a meaning to inside a word. */
const PLAIN = /^[A-Za-z0-9_/.,:@+-]+$/;

/** One shell word: as it is when nothing in it needs quoting, else in single quotes (`'` as `'\''`). */
export function shellQuote(word: string): string {
  if (PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
