/**
 * A pasted Anthropic secret checked by the shared rule (common/rules.ts `checkSecret`) and,
 * when it is not usable, precisely what is wrong with it in the words of `authbar token add`
 * (the secret came on stdin). Messages never contain the secret or any part of it beyond its
 * known prefix.
 */
import {
  API_KEY_PREFIX,
  checkSecret,
  SETUP_TOKEN_MIN_BODY,
  SETUP_TOKEN_PREFIX,
  type SecretKind,
  type SecretProblem,
} from '../../../common/rules.js';

export type Validation = { ok: true; kind: SecretKind; secret: string } | { ok: false; problem: string };

function s(n: number): string {
  return n === 1 ? '' : 's';
}

/** One clause saying what is wrong (no leading capital, no full stop). */
export function describeSecretProblem(p: SecretProblem): string {
  switch (p.code) {
    case 'empty':
      return 'nothing was read from stdin: pipe the token in, e.g. `pbpaste | authbar token add --provider anthropic`';
    case 'line-break':
      return 'the token contains a line break in the middle, so it was probably wrapped when copied from a terminal: run `authbar setup-token` to capture it exactly, or paste it again as one line';
    case 'whitespace':
      return 'the token contains whitespace in the middle: paste it again as one unbroken line';
    case 'too-long':
      return `the token is ${p.length} characters long, far longer than any Anthropic token: copy it again on its own`;
    case 'refresh-token':
      return 'this is an OAuth refresh token, not a setup token or API key: run `authbar setup-token` to mint a setup token';
    case 'wrong-prefix':
      return p.anthropic
        ? `wrong prefix: a setup token starts with \`${SETUP_TOKEN_PREFIX}\` and an API key with \`${API_KEY_PREFIX}\``
        : `wrong prefix: an Anthropic setup token starts with \`${SETUP_TOKEN_PREFIX}\` and an API key with \`${API_KEY_PREFIX}\``;
    case 'bad-characters':
      return p.kind === 'setup-token'
        ? `the setup token contains ${p.count} character${s(p.count)} a setup token never has (only letters, digits, _ and - follow \`${SETUP_TOKEN_PREFIX}\`)`
        : apiKeyMalformed;
    case 'too-short':
      return p.kind === 'setup-token'
        ? `the setup token is too short by ${p.short} character${s(p.short)} (at least ${SETUP_TOKEN_MIN_BODY} after \`${SETUP_TOKEN_PREFIX}\`): it was probably cut off when copied; run \`authbar setup-token\` to capture it exactly`
        : apiKeyMalformed;
  }
}

const apiKeyMalformed =
  'the API key is malformed (only letters, digits, _ and - follow `sk-ant-api`, and it is much longer): copy it again from the Anthropic console';

/** Checks what came in on stdin (surrounding whitespace trimmed). */
export function validateAnthropicSecret(input: string): Validation {
  const checked = checkSecret(input);
  return checked.ok ? checked : { ok: false, problem: describeSecretProblem(checked.problem) };
}
