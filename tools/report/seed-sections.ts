/**
 * Section headings of the two source documents, by one rule per layout:
 *
 * - `standalone` (the SRA web page, 000_*.txt): a heading is a line after a blank line and before a blank line or a
 *   bullet, not indented (indented lines are figure captions), of 1 to 8 words, that starts with a capital letter and
 *   does not end in sentence punctuation (. , ; : ? !). "Design consideration(s)" headings belong to the heading above
 *   them and are named "<parent> › Design considerations". The page's KMS and CloudHSM headings were lost in the text
 *   export: a paragraph after two or more blank lines that opens with a service name ("AWS …" or "Amazon …", up to the
 *   first parenthesis or lower-case word) starts a section named by it.
 * - `title-case` (the Security Pillar PDF text, 002_*.txt): a heading is a line of 1 to 8 words, not a bullet, URL or
 *   numbered item, with no sentence punctuation at its end, in which every word of four or more letters starts with a
 *   capital (but with, from, into), with no footnote number, dot or underscore. A heading that ends in a joining word (and, with, of, to, for, the) continues on the next line. The PDF's
 *   repeated sub-headings (Key AWS Services, Resources, Video(s), Documentation) belong to the section above them.
 *
 * Each section keeps its text, so a traced requirement can be checked to quote it.
 */
export type HeadingStyle = 'standalone' | 'title-case';

export interface SeedSection {
  readonly heading: string;
  readonly text: string;
}

const SENTENCE_END = /[.,;:?!]$/;
const REPEATED = new Set(['Key AWS Services', 'Resources', 'Video', 'Videos', 'Documentation']);
const JOINING = /\s(and|with|of|to|for|the)$/i;

function words(line: string): string[] {
  return line.split(/\s+/).filter(Boolean);
}

const SMALL_WORDS = new Set(['with', 'from', 'into']);

function isTitleCase(line: string): boolean {
  return words(line).every((w) => SMALL_WORDS.has(w) || !/^[a-z]{4,}/.test(w));
}

/** Sections in document order; text before the first heading is dropped. */
export function seedSections(text: string, style: HeadingStyle): SeedSection[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const sections: { heading: string; lines: string[] }[] = [];
  let parent = '';
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    const heading = style === 'standalone' ? standaloneHeading(lines, i) : titleCaseHeading(lines, i);
    if (heading) {
      let name = heading.text;
      if (style === 'standalone' && /^Design considerations?$/.test(name)) name = `${parent} › Design considerations`;
      else if (style === 'title-case' && REPEATED.has(name)) name = '';
      else parent = name;
      if (name) {
        sections.push({ heading: name, lines: [] });
        if (heading.consumed === 0) sections.at(-1)!.lines.push(line);
        else i += heading.consumed - 1;
        continue;
      }
    }
    sections.at(-1)?.lines.push(line);
  }
  return sections.map((s) => ({ heading: s.heading, text: s.lines.join('\n').replace(/\s+/g, ' ').trim() }));
}

function standaloneHeading(lines: readonly string[], i: number): { text: string; consumed: number } | undefined {
  const raw = lines[i]!;
  const line = raw.trim();
  const blank = (j: number) => j < 0 || j >= lines.length || lines[j]!.trim() === '';
  if (!line || /^\s{4,}/.test(raw) || !blank(i - 1)) return undefined;
  if (blank(i - 2) && /^(AWS|Amazon) /.test(line) && words(line).length > 8) {
    const name = /^((?:AWS|Amazon)(?: [A-Z][\w-]*)+)/.exec(line)![1]!;
    return { text: name, consumed: 0 };
  }
  if (!blank(i + 1) && !/^\s*•/.test(lines[i + 1]!)) return undefined;
  const n = words(line).length;
  if (n > 8 || !/^[A-Z]/.test(line) || SENTENCE_END.test(line) || /^[•·-]/.test(line)) return undefined;
  return { text: line, consumed: 1 };
}

function titleCaseHeading(lines: readonly string[], i: number): { text: string; consumed: number } | undefined {
  let line = lines[i]!.trim();
  let consumed = 1;
  const candidate = (l: string) => l.length > 0 && words(l).length <= 8 && /^[A-Z]/.test(l) && !SENTENCE_END.test(l) && !/^(https?:|[•·\d])/.test(l) && !/[._]|\d$/.test(l) && isTitleCase(l);
  if (!candidate(line)) return undefined;
  if (JOINING.test(line) && i + 1 < lines.length && candidate(lines[i + 1]!.trim())) {
    line = `${line} ${lines[i + 1]!.trim()}`;
    consumed = 2;
  }
  return { text: line, consumed };
}
