import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { acknowledgementsDocument } from '../../tools/acknowledgements';
import { REPO_ROOT } from '../helpers/app';

test('docs/acknowledgements.md matches the code (run `npm run acks` after changing an acknowledgement)', () => {
  expect(readFileSync(join(REPO_ROOT, 'docs', 'acknowledgements.md'), 'utf8')).toBe(acknowledgementsDocument());
});
