/**
 * How a remote host's credentials are renewed, in words for this machine: one copy of the rule
 * for the menu, the details window and the host notices. A host's own texts say
 * `authbar setup-token`, which here would renew THIS machine's gateway; from here the host is
 * renewed by `authbar setup-token --host NAME`. Any other command a host's text names runs on
 * the host, and the words say so. Pure and free of zod (the window bundles it).
 */
import { HOST_NAME } from './host-name.js';
import { PROFILE_ID } from './rules.js';

/**
 * `authbar setup-token --host vps [--profile-id ID]`, or null when the name may not become an
 * argv word. The profile id is kept only when it is a well-formed one (it came from the host).
 */
export function hostRenewCommand(host: string, profileId?: string): string | null {
  if (!HOST_NAME.test(host)) return null;
  // `authbar setup-token` lands in anthropic:setup-token by itself; any other profile is named.
  const named = profileId !== undefined && profileId !== 'anthropic:setup-token' && PROFILE_ID.test(profileId);
  const profile = named ? ` --profile-id ${profileId}` : '';
  return `authbar setup-token --host ${host}${profile}`;
}

/** The renew words for a host's setup token: the command above, or (a name no rule allows) where it runs. */
export function hostRenewWords(host: string, profileId?: string): string {
  return hostRenewCommand(host, profileId) ?? `authbar setup-token on ${host}`;
}

// `authbar setup-token [--profile-id ID]` not already aimed at a host, `authbar status`, other
// `authbar` subcommands, and any other back-quoted command.
const COMMANDS =
  /`([^`\n]{1,200})`|\bauthbar (setup-token(?: --profile-id ([^\s`]+))?|status|sync|token add|doctor)\b(?! --host)/g;
const SETUP = /^authbar setup-token(?: --profile-id (\S+))?$/;

/** One bare `authbar` command of a host's text, as it is run from here. */
function fromHere(command: string, profileId: string | undefined, host: string): string {
  if (command.startsWith('setup-token')) return hostRenewWords(host, profileId);
  if (command === 'status' && HOST_NAME.test(host)) return `authbar status --host ${host}`;
  return `authbar ${command} on ${host}`;
}

/**
 * A text a host sent, or one made from its snapshot (a profile's reason, a notice's body),
 * reworded for this machine: its renew command becomes the one naming the host, `authbar
 * status` becomes `authbar status --host NAME`, and every other command it names is said to
 * run on the host ("`openclaw models auth paste-token` on vps"). Front ends still escape it.
 */
export function hostRenewText(text: string, host: string): string {
  return text.replace(COMMANDS, (whole, quoted: string | undefined, bare: string | undefined, id?: string) => {
    if (bare !== undefined) return fromHere(bare, id, host);
    const q = quoted ?? '';
    if (/--host\b/.test(q)) return `${whole} on ${host}`;
    const setup = SETUP.exec(q);
    const command = setup ? hostRenewCommand(host, setup[1]) : null;
    if (command !== null) return `\`${command}\``;
    if (q === 'authbar status' && HOST_NAME.test(host)) return `\`authbar status --host ${host}\``;
    return `${whole} on ${host}`;
  });
}
