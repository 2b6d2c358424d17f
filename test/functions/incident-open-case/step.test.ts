import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { recordKey, TAG, type CaseRecord } from '../../../functions/incident-shared/case';
import { sha256 } from '../../../functions/incident-shared/record';
import { openCase } from '../../../functions/incident-open-case/step';
import { resetMoto } from '../../helpers/moto';
import { buildAccount, compromisedInstance, type Account } from '../incident-shared/fixture';

describe('open case', () => {
  let account: Account;
  let instanceId: string;
  beforeAll(async () => {
    const server = await resetMoto();
    account = await buildAccount(server);
    instanceId = await compromisedInstance(account);
  });

  test('records the prior state once in the evidence bucket and binds it to the instance with its SHA-256', async () => {
    const ref = await openCase(account.clients, account.settings, { instanceId, executionName: 'exec-1', finding: { type: 'Backdoor:EC2/C&CActivity.B' } });
    if (!('prior' in ref)) throw new Error('the instance was under a case already');
    expect(ref.caseId).toBe(`${instanceId}-exec-1`);
    const prior = ref.prior;
    expect(prior.networkInterfaces).toHaveLength(2);
    expect(prior.networkInterfaces[0]!.groupIds.sort()).toEqual([account.appGroupId, account.adminGroupId].sort());
    expect(prior.networkInterfaces[1]!.privateIps).toHaveLength(2);
    expect(prior.networkInterfaces.every((e) => e.networkAclId === account.networkAclId)).toBe(true);
    expect(prior.instanceProfileArn).toBe(account.profileArn);
    expect(prior.autoScaling).toEqual({ groupName: account.groupName, lifecycleState: 'InService' });
    expect(prior.targetGroups.map((t) => t.targetGroupArn)).toEqual([account.targetGroupArn]);
    expect(prior.networkAcls[0]!.entries.filter((e) => e.ruleNumber === 100)).toHaveLength(2);
    expect(prior.volumes.length).toBeGreaterThan(0);

    const object = await account.s3.send(new GetObjectCommand({ Bucket: account.settings.evidenceBucket, Key: recordKey(ref.caseId) }));
    const body = await object.Body!.transformToString();
    expect((JSON.parse(body) as CaseRecord).prior).toEqual(prior);
    const instance = (await account.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
    const tags = Object.fromEntries(instance.Tags!.map((t) => [t.Key, t.Value]));
    expect(tags[TAG.case]).toBe(ref.caseId);
    expect(tags[TAG.recordSha256]).toBe(sha256(body));
  });

  test('a retry of the same execution keeps the first record (one version) and the same case', async () => {
    const again = await openCase(account.clients, account.settings, { instanceId, executionName: 'exec-1' });
    expect(again.caseId).toBe(`${instanceId}-exec-1`);
    const versions = await account.s3.send(new ListObjectVersionsCommand({ Bucket: account.settings.evidenceBucket, Prefix: recordKey(again.caseId) }));
    expect(versions.Versions).toHaveLength(1);
  });

  test('another execution for an instance already under a case leaves it to that case', async () => {
    const other = await openCase(account.clients, account.settings, { instanceId, executionName: 'exec-2' });
    expect(other.alreadyUnderCase).toBe(`${instanceId}-exec-1`);
  });

  test.each([
    ['not an instance id', 'sg-123', /instanceId must look like i-0123456789abcdef0/],
    ['an instance that does not exist', 'i-0123456789abcdef0', /./],
  ])('refuses %s with a clear error', async (_name, id, message) => {
    await expect(openCase(account.clients, account.settings, { instanceId: id, executionName: 'x' })).rejects.toThrow(message);
  });

  test('a dry run writes nothing and tags nothing', async () => {
    const fresh = await buildAccount(await resetMoto());
    const id = await compromisedInstance(fresh);
    const ref = await openCase(fresh.clients, fresh.settings, { instanceId: id, executionName: 'dry', dryRun: true });
    expect(ref.dryRun).toBe(true);
    const listed = await fresh.s3.send(new ListObjectVersionsCommand({ Bucket: fresh.settings.evidenceBucket }));
    expect(listed.Versions ?? []).toEqual([]);
    const instance = (await fresh.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    expect((instance.Tags ?? []).filter((t) => t.Key!.startsWith('incident:'))).toEqual([]);
  });
});
