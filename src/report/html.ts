/** Small text helpers shared by the report's parts. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON inside a <script> element: `<` escaped so no `</script>` can end it early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** A coordinate with one decimal, without trailing zeros: small pages, the same bytes every time. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A word safe to use in a class name or attribute: lower case letters, digits and dashes. */
export function classWord(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'other';
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A time for people: whole units as they are, others with up to one decimal. */
export function formatTime(t: number): string {
  return Number.isInteger(t) ? String(t) : (Math.round(t * 10) / 10).toFixed(1);
}
