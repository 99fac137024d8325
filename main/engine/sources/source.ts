/** What the registry knows of one source: a program whose login AuthBar reads. */
export interface SourceDescriptor {
  /** `claude-code`, `codex-cli`, `qwen-code`. */
  readonly id: string;
  /** Display name: `Claude Code`. */
  readonly label: string;
  /** The profile id its login takes in a gateway that copies it. */
  readonly profileId: string;
  /** The provider of that profile. */
  readonly provider: string;
  /** The command that logs it in again: `claude`, `codex login`. */
  readonly fix: string;
  /** The same, as a phrase a notice ends with: `log in again with claude (then /login)`. */
  readonly loginPhrase: string;
  /** Gateway kinds whose sync copies this login (OpenClaw copies none). */
  readonly usedBy: readonly string[];
}
