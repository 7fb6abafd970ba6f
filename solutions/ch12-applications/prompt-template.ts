/**
 * Fill a prompt template. `{name}` is a slot (name: letters, digits, _) replaced by values[name]; `{{` and `}}`
 * are literal braces (so a template can show code). Values are inserted as they are: a value containing
 * `{x}` is not filled again.
 * Throws an Error whose message contains the slot's name when a slot has no value, and one containing the
 * value's name when a value fills no slot.
 *
 * Example: fillPromptTemplate('Q: {question}\nA:', { question: 'Why?' }) → 'Q: Why?\nA:'
 *          fillPromptTemplate('{{ {x} }}', { x: '1' }) → '{ 1 }'
 */
export function fillPromptTemplate(template: string, values: Record<string, string>): string {
  // BEGIN SOLUTION: Every task is a prompt
  const used = new Set<string>();
  const out = template.replace(/\{\{|\}\}|\{(\w+)\}/g, (match: string, name: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    if (!(name! in values)) throw new Error(`slot {${name}} has no value`);
    used.add(name!);
    return values[name!];
  });
  const unused = Object.keys(values).find((k) => !used.has(k));
  if (unused !== undefined) throw new Error(`value "${unused}" fills no slot of the template`);
  return out;
  // END SOLUTION
}
