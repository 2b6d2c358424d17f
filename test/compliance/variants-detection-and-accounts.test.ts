import { variantsOf } from '../helpers/variants';
import { describeConfigMatrix } from './config-matrix';

const results = describeConfigMatrix('config variants: detection and accounts', variantsOf('detection-and-accounts'));

test('a config with two environments is checked on both stages, and cfn-lint is given the templates of both', () => {
  const s = results.synthesized.get('two environments')!;
  expect(s.built.stages.map((st) => st.stageName)).toEqual(['dev', 'stage']);
  const stacks = results.files.filter((f) => f.config === 'two environments').map((f) => f.stack);
  expect(stacks.filter((id) => id.startsWith('stage/')).sort()).toEqual(['stage/Analytics', 'stage/Application', 'stage/Data', 'stage/Detection', 'stage/Image', 'stage/Network', 'stage/Response', 'stage/Security']);
  expect(stacks.filter((id) => id.startsWith('dev/'))).toHaveLength(8);
});
