/** The policy's templates: `{{field}}` placeholders, every field named must be given. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`Template names an unknown field: ${name}`);
    return value;
  });
}

/** Fills line by line: a line holding only an optional field that is empty today is left out, not left blank. */
export function fillLines(template: string, values: Record<string, string>): string {
  return template
    .split('\n')
    .filter((line) => !(/^\{\{\w+\}\}$/.test(line) && fill(line, values) === ''))
    .map((line) => fill(line, values))
    .join('\n');
}
