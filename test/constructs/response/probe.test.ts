import { build } from './fixture';
test('probe', () => {
  const b = build();
  console.log(b.findings.join('\n'));
});
