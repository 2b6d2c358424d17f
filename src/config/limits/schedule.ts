/**
 * The schedule grammar Systems Manager maintenance windows (and EventBridge)
 * accept: cron(minutes hours day-of-month month day-of-week year) or
 * rate(value unit). The expression is written into the template verbatim, so
 * anything else would fail only at deploy time.
 */
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Extra forms allowed: L, W, #, ?. */
  readonly special?: RegExp;
}

const FIELDS: readonly Field[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|[1-7]L|[A-Z]{3}L|[1-7]#[1-5]|[A-Z]{3}#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199 },
];

/** Why `expression` is not a valid schedule, or undefined. */
export function scheduleProblem(expression: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) return rateProblem(rate[1]!);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return 'must be cron(minutes hours day-of-month month day-of-week year) or rate(value unit), like cron(0 3 ? * SUN *)';
  const parts = cron[1]!.trim().split(/\s+/);
  if (parts.length !== 6) return `cron() takes 6 fields (minutes hours day-of-month month day-of-week year); got ${parts.length}`;
  for (let i = 0; i < 6; i++) {
    const problem = fieldProblem(parts[i]!, FIELDS[i]!);
    if (problem) return `cron() ${FIELDS[i]!.name} field: ${problem}`;
  }
  const [dom, dow] = [parts[2]!, parts[4]!];
  if ((dom === '?') === (dow === '?')) return 'cron() needs ? in exactly one of day-of-month and day-of-week (like cron(0 3 ? * SUN *))';
  return undefined;
}

function rateProblem(body: string): string | undefined {
  const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!match) return 'rate() takes a whole number and a unit: minute(s), hour(s) or day(s), like rate(7 days)';
  const value = Number(match[1]);
  const unit = match[2]!;
  if (value < 1) return 'rate() needs a value of at least 1';
  if (value === 1 && unit.endsWith('s')) return `rate(1 ${unit.slice(0, -1)}), singular for 1`;
  if (value > 1 && !unit.endsWith('s')) return `rate(${value} ${unit}s), plural above 1`;
  return undefined;
}

function fieldProblem(text: string, field: Field): string | undefined {
  if (field.special?.test(text)) return undefined;
  for (const item of text.split(',')) {
    const [range = '', step, extra] = item.split('/');
    if (extra !== undefined) return `"${clip(item)}" has more than one /`;
    if (step !== undefined && !/^\d+$/.test(step)) return `the step after / must be a number (got "${clip(step)}")`;
    if (step !== undefined && (Number(step) < 1 || Number(step) > field.max)) return `the step ${step} is outside 1-${field.max}`;
    if (range === '*') continue;
    const ends = range.split('-');
    if (ends.length > 2) return `"${clip(range)}" is not a value or a range`;
    const values = ends.map((end) => valueOf(end, field));
    if (values.some((v) => v === undefined)) {
      return `"${clip(range)}" is not ${field.names ? `a number ${field.min}-${field.max} or a name (${field.names[0]}-${field.names.at(-1)})` : `a number ${field.min}-${field.max}`}, a range, a list or *`;
    }
  }
  return undefined;
}

function valueOf(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(text) ?? -1;
  return index >= 0 ? index + field.min : undefined;
}

function clip(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}
