/**
 * `authbar hosts add|list|remove|test`: the remote machines AuthBar watches over ssh. The list
 * lives in the settings file's `hosts` key; add and remove rewrite only that key, so the rest
 * of the file stays byte for byte (engine/settings-write.ts). AuthBar stores no key or
 * password: ssh uses the user's own config, agent and known_hosts.
 */
import {
  HostList,
  hostNameProblem,
  REMOTE_PROGRAM,
  sshTargetProblem,
  type HostEntry,
} from '../../../common/host-entry.js';
import type { EngineDeps } from '../../engine/engine.js';
import { resolvePaths } from '../../engine/paths.js';
import { systemClock } from '../../engine/ports.js';
import { jsonText, scrubDeep } from '../../engine/secrets/scrub.js';
import { readSettings } from '../../engine/settings.js';
import { UsageError } from '../args.js';
import { defineCommand, type CommandGroup } from '../command.js';
import { EXIT } from '../io.js';
import { renderHostList, renderHostTest } from '../render/hosts.js';

async function configuredHosts(deps: EngineDeps): Promise<{ path: string; hosts: HostEntry[] }> {
  const path = resolvePaths(deps.env).settings;
  return { path, hosts: (await readSettings(path)).settings.hosts };
}

/** The configured host called `name`; a usage error listing the names there are otherwise. */
export async function findHost(deps: EngineDeps, name: string): Promise<HostEntry> {
  const { hosts } = await configuredHosts(deps);
  const host = hosts.find((h) => h.name === name);
  if (host) return host;
  const known = hosts.length > 0 ? `the hosts are ${hosts.map((h) => h.name).join(', ')}` : 'no host is configured';
  throw new UsageError(
    `no host named "${name}" (${known}): add it with \`authbar hosts add ${hostNameProblem(name) === null ? name : 'NAME'} SSH\``,
  );
}

/** The list with `entry` added, checked as the settings schema checks it. */
export function withHost(hosts: readonly HostEntry[], entry: HostEntry): HostEntry[] {
  if (hosts.some((h) => h.name === entry.name))
    throw new UsageError(
      `a host named "${entry.name}" is already configured: remove it first with \`authbar hosts remove ${entry.name}\``,
    );
  const next = [...hosts, entry];
  if (!HostList.safeParse(next).success)
    throw new UsageError(`AuthBar watches at most 50 hosts: remove one with \`authbar hosts remove NAME\` first`);
  return next;
}

const addCommand = defineCommand({
  name: 'add',
  summary: 'watch a host over ssh',
  usage: `usage: authbar hosts add NAME SSH [--authbar PATH]

Watch another machine's gateway over ssh. NAME is how AuthBar shows it (lower-case letters,
digits, ".", "_", "-"); SSH is what you type after \`ssh\`: an alias from ~/.ssh/config,
user@host or user@host:port. ssh must reach it without a prompt (a key in ssh-agent or
without a passphrase) and know its host key: run \`ssh SSH\` once first.

  --authbar PATH  where \`authbar\` is on the host, when a non-interactive ssh session
                  does not find it on PATH (e.g. ~/.local/bin is not on it)`,
  options: { authbar: { type: 'string' } },
  positionals: 2,
  async run({ values, positionals }, io, deps) {
    const [name, ssh] = positionals;
    if (name === undefined || ssh === undefined) throw new UsageError('hosts add needs a NAME and an SSH destination');
    const nameProblem = hostNameProblem(name);
    if (nameProblem !== null) throw new UsageError(`"${name}": ${nameProblem}`);
    const sshProblem = sshTargetProblem(ssh);
    if (sshProblem !== null) throw new UsageError(`"${ssh}": ${sshProblem}`);
    const { parseSshTarget } = await import('../../engine/hosts/ssh-target.js');
    try {
      parseSshTarget(ssh);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const program = values.authbar;
    if (program !== undefined && !REMOTE_PROGRAM.test(program))
      throw new UsageError(
        `--authbar "${program}" must be an absolute path or a command name, without spaces or shell characters`,
      );
    const entry: HostEntry = { name, ssh, ...(program !== undefined ? { authbar: program } : {}) };
    const { patchSettingsFile } = await import('../../engine/settings-write.js');
    const path = resolvePaths(deps.env).settings;
    await patchSettingsFile(path, (current) => ({ hosts: withHost(current.hosts, entry) }));
    io.stdout(`Added ${name} (ssh ${ssh}) to ${path}.\nCheck that AuthBar reaches it: authbar hosts test ${name}\n`);
    return EXIT.ok;
  },
});

const listCommand = defineCommand({
  name: 'list',
  summary: 'the hosts AuthBar watches',
  usage: `usage: authbar hosts list [--json]

The remote hosts in AuthBar's settings.

  --json  the list as JSON: [{ name, ssh, authbar? }]`,
  options: { json: { type: 'boolean' } },
  async run({ values }, io, deps) {
    const { hosts } = await configuredHosts(deps);
    io.stdout(values.json ? jsonText(hosts, 2) + '\n' : renderHostList(hosts));
    return EXIT.ok;
  },
});

const removeCommand = defineCommand({
  name: 'remove',
  summary: 'stop watching a host',
  usage: `usage: authbar hosts remove NAME

Stop watching a host: its entry leaves the settings; nothing on the host is touched.`,
  options: {},
  positionals: 1,
  async run({ positionals }, io, deps) {
    const [name] = positionals;
    if (name === undefined) throw new UsageError('hosts remove needs the NAME of a host (see `authbar hosts list`)');
    await findHost(deps, name);
    const { patchSettingsFile } = await import('../../engine/settings-write.js');
    const path = resolvePaths(deps.env).settings;
    let removed = false;
    await patchSettingsFile(path, (current) => {
      const hosts = current.hosts.filter((h) => h.name !== name);
      removed = hosts.length !== current.hosts.length;
      return { hosts };
    });
    if (!removed) throw new UsageError(`no host named "${name}" any more (the settings changed meanwhile)`);
    io.stdout(`Removed ${name} from ${path}.\n`);
    return EXIT.ok;
  },
});

const testCommand = defineCommand({
  name: 'test',
  summary: 'connect to a host and say what is there',
  usage: `usage: authbar hosts test NAME [--json]

Connect to a host over ssh (without a prompt, as the tray does) and say what is there: its
AuthBar's version, its gateway and that gateway's version. When it cannot, say why (the
host's state) and the command that fixes it. Read only: nothing on the host is written.
Exit code 0 when AuthBar answered there, 1 otherwise.

  --json  the host's report as JSON ({ name, ssh, state, since, authbarVersion, message,
          fix, snapshot })`,
  options: { json: { type: 'boolean' } },
  positionals: 1,
  async run({ values, positionals }, io, deps) {
    const [name] = positionals;
    if (name === undefined) throw new UsageError('hosts test needs the NAME of a host (see `authbar hosts list`)');
    const entry = await findHost(deps, name);
    const { remoteGatewayVersion, remoteStatus } = await import('../../engine/hosts/remote-status.js');
    const clock = deps.clock ?? systemClock;
    const report = await remoteStatus(entry, deps.env, { sync: false, live: false, clock });
    // No AuthBar there: still say which gateway is (the tray can show its own live view).
    const gateway = report.state === 'no-authbar' ? await remoteGatewayVersion(entry, deps.env) : null;
    if (values.json) {
      const { HostReport } = await import('../../../common/hosts.js');
      io.stdout(jsonText(scrubDeep(HostReport.parse(report)), 2) + '\n');
    } else io.stdout(renderHostTest(report, clock.now(), { color: io.isTTY }, gateway));
    return report.state === 'ok' ? EXIT.ok : EXIT.now;
  },
});

export const hostsCommand: CommandGroup = {
  name: 'hosts',
  summary: 'the other machines whose gateways AuthBar watches over ssh',
  usage: `usage: authbar hosts add NAME SSH [--authbar PATH]
       authbar hosts list [--json]
       authbar hosts remove NAME
       authbar hosts test NAME [--json]

Other machines that run a gateway (a VPS, a home server), watched over the system's ssh with
your own ~/.ssh/config, agent, keys and known_hosts. AuthBar never stores a key or a password
and never accepts a host key on its own. \`authbar status --host NAME\` shows one host,
\`authbar status --all-hosts\` every one.`,
  subcommands: [addCommand, listCommand, removeCommand, testCommand],
};
