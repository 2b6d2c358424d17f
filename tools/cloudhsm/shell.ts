/** Quoting for the commands the runbook prints, so a value pasted into a shell stays one argument. */
export function quote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** ` --region r` when a Region was given, else nothing (the AWS CLI then uses its own default). */
export const regionArg = (region: string | undefined) => (region ? ` --region ${quote(region)}` : '');
