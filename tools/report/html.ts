/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A table with a header row; cells are escaped unless given as `{ html }`. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number | { html: string })[])[], className = ''): string {
  const cell = (c: string | number | { html: string }, tag: string) => {
    const numeric = typeof c === 'number';
    const content = typeof c === 'object' ? c.html : escapeHtml(String(c));
    return `<${tag}${numeric ? ' class="num"' : ''}>${content}</${tag}>`;
  };
  return [
    `<table${className ? ` class="${className}"` : ''}>`,
    `<thead><tr>${headers.map((h) => cell(h, 'th')).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`),
    '</tbody></table>',
  ].join('\n');
}
