/** Reading a page's HTML as a browser would: form fields, input values, ticked radios. */

export function unescapeHtml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

export function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match?.[1] === undefined ? undefined : unescapeHtml(match[1]);
}

/**
 * What a browser would send from the page's form that posts to `action`: its text and hidden inputs,
 * ticked radios and checkboxes, and textareas. The CSRF token is left to TestClient.post.
 */
export function formFields(html: string, action: string): Record<string, string> {
  const form = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].find((m) => attribute(m[1]!, 'action') === action);
  if (!form) throw new Error(`the page has no form posting to ${action}`);
  const fields: Record<string, string> = {};
  for (const [, tag] of form[2]!.matchAll(/<input\b([^>]*)>/g)) {
    const name = attribute(tag!, 'name');
    const type = attribute(tag!, 'type') ?? 'text';
    if (!name || name === '_csrf' || type === 'submit') continue;
    if ((type === 'radio' || type === 'checkbox') && !/\schecked\b/.test(tag!)) continue;
    fields[name] = attribute(tag!, 'value') ?? '';
  }
  for (const [, tag, content] of form[2]!.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attribute(tag!, 'name');
    if (name) fields[name] = unescapeHtml(content!.replace(/^\n/, ''));
  }
  return fields;
}

/** The value a form input shows, as the user sees it. */
export function inputValue(html: string, name: string): string | undefined {
  const tag = [...html.matchAll(/<input\b[^>]*>/g)].map((m) => m[0]).find((t) => attribute(t, 'name') === name && !/type="(radio|checkbox)"/.test(t));
  return tag === undefined ? undefined : (attribute(tag, 'value') ?? '');
}

export function checkedValue(html: string, name: string): string | undefined {
  const tag = [...html.matchAll(/<input\b[^>]*>/g)].map((m) => m[0]).find((t) => attribute(t, 'name') === name && /\schecked\b/.test(t));
  return tag && attribute(tag, 'value');
}
