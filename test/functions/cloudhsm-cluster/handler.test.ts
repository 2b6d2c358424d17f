import * as handler from '../../../functions/cloudhsm-cluster/handler';

test('exports the provider framework entry points', () => {
  expect(typeof handler.onEvent).toBe('function');
  expect(typeof handler.isComplete).toBe('function');
});
