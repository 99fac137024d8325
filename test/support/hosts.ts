/** Remote hosts' reports for the app and window tests, validated against the real schema. */
import { HostReport, type HostReport as HostReportT } from '../../common/hosts.js';

export function hostReport(over: Partial<HostReportT> & Pick<HostReportT, 'name'>): HostReportT {
  return HostReport.parse({
    ssh: `deploy@${over.name}.example`,
    state: 'ok',
    since: null,
    lastSeenAt: null,
    authbarVersion: '0.1.0',
    message: null,
    fix: null,
    snapshot: null,
    live: null,
    ...over,
  });
}
