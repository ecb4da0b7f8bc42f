// Edge and node label text of the mesh graph: matches, weights, faults, operations.

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function percent(w: number, total: number): string {
  const p = (w * 100) / total;
  return Number.isInteger(p) ? String(p) : p.toFixed(1);
}

export function portsText(ports: readonly number[]): string {
  const uniq = [...new Set(ports)].sort((a, b) => a - b);
  return uniq.length ? ` :${uniq.join(',')}` : '';
}

function stringMatch(m: any): string {
  if (!m || typeof m !== 'object') return '';
  if (typeof m.exact === 'string') return `=${m.exact}`;
  if (typeof m.prefix === 'string') return `=${m.prefix}*`;
  if (typeof m.regex === 'string') return ' ~regex';
  return '';
}

export function vsMatches(matches: readonly any[]): string[] {
  const alternatives = matches.map(m => {
    const parts: string[] = [];
    if (m?.uri) parts.push(`path${stringMatch(m.uri)}`);
    if (m?.method) parts.push(`method${stringMatch(m.method)}`);
    for (const [h, v] of Object.entries(m?.headers ?? {}).sort(([a], [b]) => cmp(a, b))) parts.push(`${h}${stringMatch(v)}`);
    for (const [h, v] of Object.entries(m?.queryParams ?? {}).sort(([a], [b]) => cmp(a, b))) parts.push(`?${h}${stringMatch(v)}`);
    if (typeof m?.port === 'number') parts.push(`port ${m.port}`);
    if (m?.sourceLabels) parts.push(`from ${Object.entries(m.sourceLabels).map(([k, v]) => `${k}=${v}`).sort().join(',')}`);
    if (Array.isArray(m?.sniHosts)) parts.push(`sni ${m.sniHosts.join(',')}`);
    return parts.join(' ');
  }).filter(a => a !== '');
  return alternatives.length ? [`[${alternatives.join(' or ')}]`] : [];
}

export function routeMatches(matches: readonly any[]): string[] {
  const alternatives = matches.map(m => {
    const parts: string[] = [];
    if (m?.path && typeof m.path.value === 'string') {
      const t = m.path.type ?? 'PathPrefix';
      parts.push(t === 'Exact' ? `path=${m.path.value}` : t === 'PathPrefix' ? `path=${m.path.value}*` : 'path ~regex');
    }
    if (typeof m?.method === 'string') parts.push(`method=${m.method}`);
    for (const h of [...(m?.headers ?? [])].sort((a: any, b: any) => cmp(String(a?.name), String(b?.name)))) {
      parts.push(`${h?.name}${(h?.type ?? 'Exact') === 'Exact' ? `=${h?.value}` : ' ~regex'}`);
    }
    for (const q of m?.queryParams ?? []) parts.push(`?${q?.name}${(q?.type ?? 'Exact') === 'Exact' ? `=${q?.value}` : ' ~regex'}`);
    // GRPCRoute
    if (m?.method && typeof m.method === 'object') parts.push(`grpc ${m.method.service ?? '*'}/${m.method.method ?? '*'}`);
    return parts.join(' ');
  }).filter(a => a !== '' && a !== 'path=/*');
  return alternatives.length ? [`[${alternatives.join(' or ')}]`] : [];
}

export function faultText(fault: any): string {
  const parts: string[] = [];
  if (fault?.abort) parts.push(`abort ${fault.abort.httpStatus ?? fault.abort.grpcStatus ?? ''}${fault.abort.percentage?.value !== undefined ? ` ${fault.abort.percentage.value}%` : ''}`.trim());
  if (fault?.delay) parts.push(`delay ${fault.delay.fixedDelay ?? ''}${fault.delay.percentage?.value !== undefined ? ` ${fault.delay.percentage.value}%` : ''}`.trim());
  return `fault(${parts.join(', ')})`;
}

export function operationText(to: readonly any[]): string[] {
  const alternatives = to.map(t => {
    const op = t?.operation ?? {};
    const parts: string[] = [];
    if (op.methods?.length) parts.push([...op.methods].join(','));
    if (op.paths?.length) parts.push([...op.paths].join(','));
    if (op.ports?.length) parts.push(`:${[...op.ports].join(',')}`);
    if (op.hosts?.length) parts.push(`host ${[...op.hosts].join(',')}`);
    if (op.notMethods?.length || op.notPaths?.length || op.notPorts?.length || op.notHosts?.length) parts.push('except …');
    return parts.join(' ');
  }).filter(a => a !== '');
  return alternatives.length ? [alternatives.join(' or ')] : [];
}
