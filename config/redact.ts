// Keeping secrets out of logs and error messages.

/** The URL with its password replaced by ***; never throws (an unparseable URL is not echoed). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable URL>";
  }
}

/** What an error message may show of a setting's value. */
export function shownValue(key: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (/password|secret|token/i.test(key)) return `<hidden, ${value.length} characters>`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) && value.includes("@")) return redactUrl(value.trim());
  return value;
}
