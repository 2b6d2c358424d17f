import { CreateTagsCommand, DescribeNetworkAclsCommand } from '@aws-sdk/client-ec2';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { naclContain } from '../../../functions/incident-nacl-contain/step';
import { openCase } from '../../../functions/incident-open-case/step';
import { release } from '../../../functions/incident-release/step';
import { recordKey, TAG, type CaseRef } from '../../../functions/incident-shared/case';
import { resetMoto } from '../../helpers/moto';
import { buildAccount, compromisedInstance, type Account } from '../incident-shared/fixture';

async function denyCount(account: Account): Promise<number> {
  const acl = (await account.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [account.networkAclId] }))).NetworkAcls![0]!;
  return (acl.Entries ?? []).filter((e) => e.RuleAction === 'deny' && e.RuleNumber! < 100).length;
}

/** A contained case (deny entries in place) on a fresh account. */
async function containedCase(name: string): Promise<{ account: Account; ref: CaseRef }> {
  const account = await buildAccount(await resetMoto());
  const instanceId = await compromisedInstance(account);
  const ref = await openCase(account.clients, account.settings, { instanceId, executionName: name });
  if (!('prior' in ref)) throw new Error('the instance was under a case already');
  await naclContain(account.clients, ref);
  return { account, ref };
}

describe('release refuses a missing or altered case record', () => {
  test('an intact record releases: the deny entries go', async () => {
    const { account, ref } = await containedCase('intact');
    expect(await denyCount(account)).toBe(6);
    const report = await release(account.clients, account.settings, { caseId: ref.caseId });
    expect(report.notDone).toEqual([]);
    expect(await denyCount(account)).toBe(0);
  });

  test('a dry run of a release changes nothing and lists the plan', async () => {
    const { account, ref } = await containedCase('dry-release');
    const report = await release(account.clients, account.settings, { caseId: ref.caseId, dryRun: true });
    expect(report.done.filter((d) => !/left as it is/.test(d))).toEqual([]);
    expect(report.planned.join('\n')).toMatch(/deny inbound .* removed/);
    expect(await denyCount(account)).toBe(6);
  });

  test.each([
    [
      'rewritten (a second version of the record)',
      async (account: Account, ref: CaseRef) => {
        const forged = { schema: 1, caseId: ref.caseId, instanceId: ref.instanceId, openedAt: '', prior: { ...ref.prior, networkAcls: [] } };
        await account.s3.send(new PutObjectCommand({ Bucket: account.settings.evidenceBucket, Key: recordKey(ref.caseId), Body: JSON.stringify(forged) }));
      },
      /rewritten or deleted after the case opened/,
    ],
    [
      'deleted (a delete marker)',
      async (account: Account, ref: CaseRef) => {
        await account.s3.send(new DeleteObjectCommand({ Bucket: account.settings.evidenceBucket, Key: recordKey(ref.caseId) }));
      },
      /rewritten or deleted after the case opened/,
    ],
    [
      'bound to another digest on the instance',
      async (account: Account, ref: CaseRef) => {
        await account.ec2.send(new CreateTagsCommand({ Resources: [ref.instanceId], Tags: [{ Key: TAG.recordSha256, Value: '0'.repeat(64) }] }));
      },
      /does not match the digest taken when the case opened/,
    ],
    [
      'no longer bound to the instance',
      async (account: Account, ref: CaseRef) => {
        await account.ec2.send(new CreateTagsCommand({ Resources: [ref.instanceId], Tags: [{ Key: TAG.case, Value: 'something-else' }] }));
      },
      /no instance is under case/,
    ],
  ])('a record %s: refused, nothing restored', async (_name, tamper, message) => {
    const { account, ref } = await containedCase('tampered');
    await tamper(account, ref);
    await expect(release(account.clients, account.settings, { caseId: ref.caseId })).rejects.toThrow(message);
    await expect(release(account.clients, account.settings, { caseId: ref.caseId })).rejects.toMatchObject({ name: 'IncidentRefused' });
    expect(await denyCount(account)).toBe(6);
  });

  test('a case that never existed is refused', async () => {
    const account = await buildAccount(await resetMoto());
    await expect(release(account.clients, account.settings, { caseId: 'i-0123456789abcdef0-nothing' })).rejects.toThrow(/no instance is under case/);
    await expect(release(account.clients, account.settings, { caseId: '../etc' })).rejects.toThrow(/caseId must look like/);
  });
});
