/**
 * Where the details window opens: carried in the URL's hash (`#profile=main%2Fanthropic%3Adefault`,
 * `#add-token`), so a notification click or a menu line can open the window at one profile.
 * Pure, no DOM: the renderer can import it too.
 */
export type WindowRoute =
  { kind: 'overview' } | { kind: 'profile'; agentId: string; profileId: string } | { kind: 'add-token' };

export function routeHash(route: WindowRoute): string {
  switch (route.kind) {
    case 'overview':
      return '';
    case 'add-token':
      return 'add-token';
    case 'profile':
      return `profile=${encodeURIComponent(`${route.agentId}/${route.profileId}`)}`;
  }
}

/** Parses a hash (with or without the leading `#`); anything unknown is the overview. */
export function parseRouteHash(hash: string): WindowRoute {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h === 'add-token') return { kind: 'add-token' };
  const m = /^profile=(.+)$/.exec(h);
  if (m) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(m[1] as string);
    } catch {
      return { kind: 'overview' };
    }
    const slash = decoded.indexOf('/');
    if (slash > 0 && slash < decoded.length - 1)
      return { kind: 'profile', agentId: decoded.slice(0, slash), profileId: decoded.slice(slash + 1) };
  }
  return { kind: 'overview' };
}
