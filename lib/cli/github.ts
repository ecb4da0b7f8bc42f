import { Diagnostic } from '../validation';

// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::message`.
// Data (the message) escapes %, CR and LF; property values also : and ,.
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-an-error-message

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * One workflow annotation command for a diagnostic: `error`, `warning` or `notice` (infos), with
 * the file, line and column where they are known and the code and object as the title.
 */
export function githubAnnotation(d: Diagnostic): string {
  const props: string[] = [];
  if (d.file !== undefined) props.push(`file=${escapeProperty(d.file.split('\\').join('/'))}`);
  if (d.file !== undefined && d.line !== undefined) props.push(`line=${d.line}`);
  if (d.file !== undefined && d.line !== undefined && d.column !== undefined) props.push(`col=${d.column}`);
  const object = d.kind || d.name ? ` ${d.kind || '<no kind>'} ${d.namespace ? `${d.namespace}/` : ''}${d.name || '<no name>'}` : '';
  props.push(`title=${escapeProperty(`${d.code}${object}`)}`);
  return `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(`${d.path ? `${d.path}: ` : ''}${d.message}`)}`;
}
