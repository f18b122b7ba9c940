import { terminalText } from '../../observability/terminal-text';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Attacker text as HTML text or attribute value: control, bidi and invisible characters shown escaped (the
 * terminal's rule: what a reader cannot see is spelled out), then the HTML specials as entities.
 */
export const htmlText = (text: string): string => terminalText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
