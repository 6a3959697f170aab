/**
 * HTML that escapes by default: every value put into an `html` template is escaped unless it is
 * itself `Html` (the result of another template, or a constant marked with `trusted`). Arrays are
 * joined; null, undefined and false render as nothing.
 */
const HTML = Symbol('html');

export interface Html {
  readonly [HTML]: true;
  readonly text: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && HTML in value;
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (isHtml(value)) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let text = strings[0] ?? '';
  values.forEach((value, i) => { text += render(value) + (strings[i + 1] ?? ''); });
  return { [HTML]: true, text };
}

/** Markup written in this code base (never data): passed through as is. */
export function trusted(text: string): Html {
  return { [HTML]: true, text };
}
