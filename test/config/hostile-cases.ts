import { add, all, remove, set, type Mutation } from './helpers';

/**
 * Configs AWS would refuse (or that would silently do the wrong thing), each
 * with the field its error must name. Each is the dev example with one change.
 * Shared by hostile.test.ts and hostile-report.ts (which also synthesizes).
 */
export interface HostileCase {
  readonly name: string;
  readonly mutate: Mutation;
  /** The field path the message must start with. */
  readonly path: string;
  /** What the message must say after the path. */
  readonly says: RegExp;
}

const UUID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const CA_ARN = `arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/${UUID}`;
const keyArn = (region: string, account: string, n: number) => `arn:aws:kms:${region}:${account}:key/${String(n).repeat(8)}-1111-4111-8111-111111111111`;
const publicCertificate = set('application.certificate', { kind: 'public', domainName: 'app.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' });
const oidc = (clientSecretArn: string, clientId = 'sra-app') =>
  set('application.authentication', {
    kind: 'oidc',
    issuer: 'https://login.example.com',
    authorizationEndpoint: 'https://login.example.com/authorize',
    tokenEndpoint: 'https://login.example.com/token',
    userInfoEndpoint: 'https://login.example.com/userinfo',
    clientId,
    clientSecretArn,
  });
const centralKeys = (logsArn: string) =>
  all(
    set('keys.mode', 'central'),
    remove('keys.administratorRoleArns'),
    set('keys.centralKeyArns', {
      data: keyArn('eu-west-1', '999999999999', 1),
      logs: logsArn,
      secrets: keyArn('eu-west-1', '999999999999', 3),
      backup: keyArn('eu-west-1', '999999999999', 4),
      operations: keyArn('eu-west-1', '999999999999', 6),
    }),
  );
const manyTags = (n: number) => set('tags', Object.fromEntries(Array.from({ length: n }, (_, i) => [`Tag${i}`, 'x'])));
const fleetMirroring = set('network.trafficMirroring', { enabled: true, target: { networkInterfaceId: 'eni-0a1b2c3d4e5f60718' }, fleet: true });
const shield = (...emergencyContacts: Record<string, string>[]) => set('application.shieldAdvanced', { enabled: true, emergencyContacts });
const cidrs = (n: number) => Array.from({ length: n }, (_, i) => `198.51.${i}.0/24`);

export const HOSTILE_CASES: readonly HostileCase[] = [
  // Reached a stack trace inside the constructs before the loader checked them.
  { name: 'application port 22', mutate: set('application.port', 22), path: 'application.port', says: /must not be 22/ },
  { name: 'fleet min above max', mutate: set('application.fleet', { min: 3, max: 2, desired: 2 }), path: 'application.fleet.min', says: /must not exceed max \(2\)/ },
  { name: 'fleet desired above max', mutate: set('application.fleet', { min: 1, max: 2, desired: 5 }), path: 'application.fleet.desired', says: /between min \(1\) and max \(2\)/ },
  { name: 'fleet desired below min', mutate: set('application.fleet', { min: 2, max: 4, desired: 1 }), path: 'application.fleet.desired', says: /between min \(2\) and max \(4\)/ },
  { name: 'fleet max 1', mutate: set('application.fleet', { min: 1, max: 1, desired: 1 }), path: 'application.fleet.max', says: /at least 2, so a rolling update/ },
  { name: 'private CA: both sources', mutate: set('application.certificate', { kind: 'private', domainName: 'app.example.com', certificateAuthorityArn: CA_ARN, createCertificateAuthority: { commonName: 'Root' } }), path: 'application.certificate', says: /exactly one of certificateAuthorityArn .* or createCertificateAuthority/ },
  { name: 'private CA: neither source', mutate: set('application.certificate', { kind: 'private', domainName: 'app.example.com' }), path: 'application.certificate', says: /exactly one of certificateAuthorityArn/ },
  { name: 'duplicate interface endpoint', mutate: add('network.interfaceEndpoints', 'kms'), path: 'network.interfaceEndpoints[9]', says: /duplicate endpoint "kms" \(also \[0\]\)/ },
  { name: 'duplicate notification email', mutate: add('detection.notificationEmails', 'security-alerts@example.com'), path: 'detection.notificationEmails[1]', says: /duplicate email address/ },
  { name: 'duplicate email in another case', mutate: add('detection.notificationEmails', 'Security-Alerts@Example.com'), path: 'detection.notificationEmails[1]', says: /duplicate email address/ },
  { name: 'duplicate Security Hub standard', mutate: set('detection.securityHubStandards', ['nist-800-53-r5', 'nist-800-53-r5']), path: 'detection.securityHubStandards[1]', says: /duplicate standard/ },

  // ARNs in the wrong place.
  { name: 'imported certificate in another region', mutate: set('application.certificate.certificateArn', `arn:aws:acm:us-east-1:111111111111:certificate/${UUID}`), path: 'application.certificate.certificateArn', says: /is in region us-east-1, but environment "dev" deploys to eu-west-1, account 111111111111; a load balancer uses ACM certificates of its own account and region only/ },
  { name: 'imported certificate in another account', mutate: set('application.certificate.certificateArn', `arn:aws:acm:eu-west-1:222222222222:certificate/${UUID}`), path: 'application.certificate.certificateArn', says: /is in account 222222222222/ },
  { name: 'imported certificate shared across regions', mutate: add('environments', { name: 'use', account: '111111111111', region: 'us-east-1', profile: 'development', cidr: '10.21.0.0/16' }), path: 'application.certificate.certificateArn', says: /environment "use" .*environments in different regions or accounts cannot share one/ },
  { name: 'imported certificate shared across accounts', mutate: add('environments', { name: 'stg', account: '333333333333', region: 'eu-west-1', profile: 'development', cidr: '10.21.0.0/16' }), path: 'application.certificate.certificateArn', says: /account 111111111111, but environment "stg" .*cannot share one/ },
  { name: 'private CA in another region', mutate: set('application.certificate', { kind: 'private', domainName: 'app.example.com', certificateAuthorityArn: CA_ARN.replace('eu-west-1', 'eu-central-1') }), path: 'application.certificate.certificateAuthorityArn', says: /is in region eu-central-1/ },
  { name: 'OIDC client secret in another region', mutate: oidc('arn:aws:secretsmanager:us-west-2:111111111111:secret:oidc-AbCdEf'), path: 'application.authentication.clientSecretArn', says: /OIDC client secret is in region us-west-2/ },
  { name: 'webhook secret in another account', mutate: set('detection.webhook', { secretArn: 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:hook-AbCdEf' }), path: 'detection.webhook.secretArn', says: /webhook secret is in account 222222222222/ },
  { name: 'webhook secret in another region', mutate: set('detection.webhook', { secretArn: 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:hook-AbCdEf' }), path: 'detection.webhook.secretArn', says: /region eu-north-1/ },
  { name: 'HSM-backed key in another account', mutate: set('keys.hsmBackedKeyArns.data', keyArn('eu-west-1', '222222222222', 5)), path: 'keys.hsmBackedKeyArns.data', says: /HSM-backed key is in account 222222222222/ },
  { name: 'HSM-backed key in another region', mutate: set('keys.hsmBackedKeyArns.data', keyArn('us-east-1', '111111111111', 5)), path: 'keys.hsmBackedKeyArns.data', says: /region us-east-1/ },
  { name: 'central key in another region', mutate: centralKeys(keyArn('us-east-1', '999999999999', 2)), path: 'keys.centralKeyArns.logs', says: /central logs key is in region us-east-1.*KMS keys are regional/ },
  { name: 'certificate from the China partition', mutate: set('application.certificate.certificateArn', `arn:aws-cn:acm:eu-west-1:111111111111:certificate/${UUID}`), path: 'application.certificate.certificateArn', says: /partition aws-cn, but environment "dev" \(eu-west-1\) is in aws/ },
  { name: 'administrator role from GovCloud', mutate: set('keys.administratorRoleArns', ['arn:aws-us-gov:iam::111111111111:role/admins']), path: 'keys.administratorRoleArns[0]', says: /partition aws-us-gov/ },

  // Names too long, or shaped so a resource refuses them.
  { name: '32-character name with a 16-character environment', mutate: all(set('name', 'a'.repeat(32)), set('environments.0.name', 'b'.repeat(16))), path: 'environments[0].name', says: /S3 bucket name \(application data\) .* characters; AWS allows 63/ },
  { name: 'Auto Scaling service-linked role name over 64', mutate: all(set('name', 'a'.repeat(22)), set('environments.0.name', 'b'.repeat(13))), path: 'environments[0].name', says: /also too long: IAM role name of the Auto Scaling service-linked role \(AWSServiceRoleForAutoScaling_<suffix>\) 65 > 64.*at most 35/ },
  { name: 'WAF log bucket over 63', mutate: all(set('application.waf.logDestination', 's3'), set('name', 'a'.repeat(20)), set('environments.0.name', 'b'.repeat(10))), path: 'environments[0].name', says: /S3 bucket name \(WAF logs.* AWS allows 63.*at most 27/ },
  { name: 'two hyphens in a row', mutate: set('environments.0.name', 'de--v'), path: 'environments[0].name', says: /two hyphens in a row/ },
  { name: 'environment ending with a hyphen', mutate: set('environments.0.name', 'dev-'), path: 'environments[0].name', says: /ends with a hyphen/ },
  { name: 'name with a prefix S3 reserves', mutate: set('name', 'sthree-app'), path: 'environments[0].name', says: /prefix S3 reserves/ },

  // Tags.
  { name: 'tag key with the aws: prefix', mutate: set('tags.aws:team', 'x'), path: 'tags.aws:team', says: /reserved for AWS/ },
  { name: 'tag key with the AWS: prefix in capitals', mutate: set('tags.AWS:Team', 'x'), path: 'tags.AWS:Team', says: /reserved for AWS/ },
  { name: 'tag key with the aws-cdk: prefix', mutate: set('tags.aws-cdk:x', 'x'), path: 'tags.aws-cdk:x', says: /reserved for the CDK/ },
  { name: '45 tags with ours over 50', mutate: manyTags(45), path: 'tags', says: /45 tags; AWS allows 50 per resource and the stacks set up to 6 themselves, so at most 44/ },
  { name: 'tag key of 129 characters', mutate: set('tags', { ['k'.repeat(129)]: 'x' }), path: `tags.${'k'.repeat(40)}…`, says: /tag keys are 1-128 characters \(got 129\)/ },
  { name: 'tag value of 257 characters', mutate: set('tags.Team', 'v'.repeat(257)), path: 'tags.Team', says: /at most 256 characters \(got 257\)/ },
  { name: 'tag value with #', mutate: set('tags.Team', 'a#b'), path: 'tags.Team', says: /tag values may hold only/ },
  { name: 'tag value with an emoji', mutate: set('tags.Team', 'ops 🚀'), path: 'tags.Team', says: /tag values may hold only/ },
  { name: 'tag replacing Environment', mutate: set('tags.Environment', 'production'), path: 'tags.Environment', says: /"Environment" is set by the stacks/ },
  { name: 'tag replacing Application in lower case', mutate: set('tags.application', 'x'), path: 'tags.application', says: /"Application" is set by the stacks .*in any letter case/ },
  { name: 'tag replacing DataClassification', mutate: set('tags.DATACLASSIFICATION', 'public'), path: 'tags.DATACLASSIFICATION', says: /"DataClassification" is set by the stacks/ },
  { name: 'tag replacing Fleet (Systems Manager targets it)', mutate: set('tags.Fleet', 'other'), path: 'tags.Fleet', says: /"Fleet" is set by the stacks/ },
  { name: 'tag replacing Name', mutate: set('tags.Name', 'x'), path: 'tags.Name', says: /"Name" is set by the stacks/ },
  { name: 'Owner in another case', mutate: set('tags.owner', 'x'), path: 'tags.owner', says: /spell it "Owner"/ },

  // Zones and network ACL quotas.
  { name: '7 zone names', mutate: all(publicCertificate, set('environments.0.region', 'us-east-1'), set('network.availabilityZones', ['a', 'b', 'c', 'd', 'e', 'f', 'a'].map((z, i) => `us-east-1${i === 6 ? 'g' : z}`))), path: 'network.availabilityZones', says: /list of at most 6 zone names/ },
  { name: 'zone count 7', mutate: set('network.availabilityZones', 7), path: 'network.availabilityZones', says: /expected number to be <=6/ },
  { name: '8 ingress CIDRs in development (NACL quota)', mutate: set('network.ingressCidrs', cidrs(8)), path: 'network.ingressCidrs', says: /8 ingress CIDRs × 2 ports \(443, 80\) \+ 2 app subnets \(NAT\) \+ 2 return-traffic ranges = 20 rules \+ 2 kept for incident-response denies = 22 > 20 per direction; list at most 7/ },
  { name: '7 ingress CIDRs in production (NACL quota)', mutate: all(set('environments.0.profile', 'production'), set('network.ingressCidrs', cidrs(7))), path: 'network.ingressCidrs', says: /= 21 > 20 per direction; list at most 6/ },
  { name: '6 zones exceed the app ACL quota', mutate: all(publicCertificate, set('environments.0.region', 'us-east-1'), set('network.cidr', '10.20.0.0/16'), set('network.subnetPrefixes', { public: 26, app: 24, data: 26 }), set('network.availabilityZones', 6)), path: 'network.availabilityZones', says: /app subnets' outbound network ACL .* = 21 > 20/ },
  { name: 'NACL quota above 40', mutate: set('network.naclRulesPerDirection', 41), path: 'network.naclRulesPerDirection', says: /<=40/ },
  { name: 'NACL quota below the default', mutate: set('network.naclRulesPerDirection', 10), path: 'network.naclRulesPerDirection', says: />=20/ },
  { name: 'duplicate ingress CIDR', mutate: set('network.ingressCidrs', ['198.51.100.0/24', '198.51.100.0/24']), path: 'network.ingressCidrs[1]', says: /duplicate CIDR/ },

  // Health check path.
  { name: 'health check path over 1024', mutate: set('application.healthCheckPath', `/${'a'.repeat(1024)}`), path: 'application.healthCheckPath', says: /at most 1024 characters/ },
  { name: 'health check path with a query', mutate: set('application.healthCheckPath', '/health?x=1'), path: 'application.healthCheckPath', says: /must be a path starting with \// },
  { name: 'health check path with a space', mutate: set('application.healthCheckPath', '/he alth'), path: 'application.healthCheckPath', says: /must be a path starting with \// },

  // Instance types and classes.
  { name: 'instance type t2 (Xen)', mutate: set('application.instanceType', 't2.micro'), path: 'application.instanceType', says: /t2 is not a Nitro family/ },
  { name: 'instance type m4 (Xen)', mutate: set('application.instanceType', 'm4.large'), path: 'application.instanceType', says: /m4 is not a Nitro family/ },
  { name: 'instance type c4 (Xen)', mutate: set('application.instanceType', 'c4.xlarge'), path: 'application.instanceType', says: /c4 is not a Nitro family/ },
  { name: 'instance family that does not exist', mutate: set('application.instanceType', 'm9z.large'), path: 'application.instanceType', says: /unknown instance family "m9z"/ },
  { name: 'instance size that does not exist', mutate: set('application.instanceType', 't4g.huge'), path: 'application.instanceType', says: /unknown size "huge"/ },
  { name: 'database class as instance type', mutate: set('application.instanceType', 'db.r7g.large'), path: 'application.instanceType', says: /must be an EC2 instance type/ },
  { name: 'Aurora class with db. prefix', mutate: set('data.instanceClass', 'db.r7g.large'), path: 'data.instanceClass', says: /without the "db." prefix/ },
  { name: 'Aurora class family m5', mutate: set('data.instanceClass', 'm5.large'), path: 'data.instanceClass', says: /Aurora has no db.m5 class/ },
  { name: 'Aurora burstable class too large', mutate: set('data.instanceClass', 't4g.xlarge'), path: 'data.instanceClass', says: /db.t4g comes in medium, large/ },
  { name: 'Aurora class r3', mutate: set('data.instanceClass', 'r3.large'), path: 'data.instanceClass', says: /Aurora has no db.r3 class/ },

  // WAF lists.
  { name: 'country UK', mutate: set('application.waf.blockCountries', ['UK']), path: 'application.waf.blockCountries[0]', says: /"UK" is not an ISO 3166-1 alpha-2 country code; did you mean GB\?/ },
  { name: 'country XX', mutate: set('application.waf.blockCountries', ['XX']), path: 'application.waf.blockCountries[0]', says: /"XX" is not an ISO 3166-1 alpha-2/ },
  { name: 'country in lower case', mutate: set('application.waf.allowCountries', ['de']), path: 'application.waf.allowCountries[0]', says: /upper case: DE/ },
  { name: 'country EL for Greece', mutate: set('application.waf.blockCountries', ['EL']), path: 'application.waf.blockCountries[0]', says: /did you mean GR/ },
  { name: 'empty allowCountries', mutate: set('application.waf.allowCountries', []), path: 'application.waf.allowCountries', says: /empty allow list would admit every country/ },
  { name: 'empty allowCidrs', mutate: set('application.waf.allowCidrs', []), path: 'application.waf.allowCidrs', says: /empty allow list would admit everyone/ },
  { name: 'duplicate country', mutate: set('application.waf.blockCountries', ['KP', 'KP']), path: 'application.waf.blockCountries[1]', says: /duplicate country "KP"/ },

  // Patch schedule.
  { name: 'cron with both day fields', mutate: set('application.patching.installSchedule', 'cron(0 3 * * SUN *)'), path: 'application.patching.installSchedule', says: /\? in exactly one of day-of-month and day-of-week/ },
  { name: 'cron with 5 fields', mutate: set('application.patching.installSchedule', 'cron(0 3 ? * SUN)'), path: 'application.patching.installSchedule', says: /takes 6 fields .* got 5/ },
  { name: 'cron minute 61', mutate: set('application.patching.installSchedule', 'cron(61 3 ? * SUN *)'), path: 'application.patching.installSchedule', says: /minutes field: "61" is not a number 0-59/ },
  { name: 'cron day name FUN', mutate: set('application.patching.installSchedule', 'cron(0 3 ? * FUN *)'), path: 'application.patching.installSchedule', says: /day-of-week field/ },
  { name: 'cron with trailing shell', mutate: set('application.patching.installSchedule', 'cron(0 3 ? * SUN *); rm -rf /'), path: 'application.patching.installSchedule', says: /must be cron\(/ },
  { name: 'rate of 0 days', mutate: set('application.patching.installSchedule', 'rate(0 days)'), path: 'application.patching.installSchedule', says: /at least 1/ },
  { name: 'rate(1 days)', mutate: set('application.patching.installSchedule', 'rate(1 days)'), path: 'application.patching.installSchedule', says: /rate\(1 day\), singular/ },
  { name: 'schedule "daily"', mutate: set('application.patching.installSchedule', 'daily'), path: 'application.patching.installSchedule', says: /must be cron\(minutes hours/ },
  { name: 'image source golden', mutate: set('application.image.source', 'golden'), path: 'application.image.source', says: /hardened|public/ },
  { name: 'image build on a rate', mutate: set('application.image.buildSchedule', 'rate(7 days)'), path: 'application.image.buildSchedule', says: /Image Builder takes a cron\(\) expression only/ },
  { name: 'image build cron with 5 fields', mutate: set('application.image.buildSchedule', 'cron(0 4 * * MON)'), path: 'application.image.buildSchedule', says: /takes 6 fields/ },
  { name: 'image hardening not AWS-managed', mutate: set('application.image.hardening', 'cis-level-1'), path: 'application.image.hardening', says: /stig-build-linux-high/ },
  { name: 'refresh keeping 40% healthy', mutate: set('application.image.refreshMinHealthyPercent', 40), path: 'application.image.refreshMinHealthyPercent', says: />=50/ },
  { name: 'image with an unknown field', mutate: set('application.image.ami', 'ami-0123456789abcdef0'), path: 'application.image.ami', says: /unknown field; allowed here: source, buildSchedule/ },
  { name: 'baseline every 10 minutes', mutate: set('application.osBaseline.schedule', 'rate(10 minutes)'), path: 'application.osBaseline.schedule', says: /at most every 30 minutes/ },
  { name: 'baseline schedule with shell', mutate: set('application.osBaseline.schedule', 'rate(1 day); reboot'), path: 'application.osBaseline.schedule', says: /must be cron\(/ },
  { name: 'baseline enabled as a string', mutate: set('application.osBaseline.enabled', 'yes'), path: 'application.osBaseline.enabled', says: /boolean/ },

  // Sizes.
  { name: '2 MB OIDC client id', mutate: oidc('arn:aws:secretsmanager:eu-west-1:111111111111:secret:oidc-AbCdEf', 'x'.repeat(2 * 1024 * 1024)), path: 'application.authentication.clientId', says: /2097152 characters; a config value may be at most 2048/ },

  // Alerts must reach someone.
  { name: 'no consumer of findings', mutate: remove('detection.notificationEmails'), path: 'detection', says: /no one receives findings/ },
  { name: 'organization mode without the central bus', mutate: all(set('mode', 'organization'), set('organizationId', 'o-a1b2c3d4e5')), path: 'detection.centralEventBusArn', says: /required in organization mode/ },

  // Other duplicates.
  { name: 'duplicate mirror source ENI', mutate: set('network.trafficMirroring', { enabled: true, target: { networkInterfaceId: 'eni-0a1b2c3d4e5f60718' }, sourceNetworkInterfaceIds: ['eni-0123456789abcdef0', 'eni-0123456789abcdef0'] }), path: 'network.trafficMirroring.sourceNetworkInterfaceIds[1]', says: /duplicate ENI/ },
  { name: 'duplicate administrator role', mutate: add('keys.administratorRoleArns', 'arn:aws:iam::111111111111:role/sra-key-administrators'), path: 'keys.administratorRoleArns[1]', says: /duplicate role/ },

  // Fleet mirroring.
  { name: 'fleet mirroring of a type that cannot be a source', mutate: all(fleetMirroring, set('application.instanceType', 'm7g.large')), path: 'application.instanceType', says: /Traffic Mirroring cannot use m7g instances as sources/ },
  { name: 'fleet mirroring of bare metal', mutate: all(fleetMirroring, set('application.instanceType', 'm6g.metal')), path: 'application.instanceType', says: /m6g\.metal is bare metal/ },
  { name: 'fleet mirroring without mirroring enabled', mutate: set('network.trafficMirroring', { enabled: false, fleet: true }), path: 'network.trafficMirroring.fleet', says: /set trafficMirroring\.enabled: true with a target/ },
  { name: 'fleet mirroring without a target', mutate: set('network.trafficMirroring', { enabled: true, fleet: true }), path: 'network.trafficMirroring.target', says: /exactly one of networkLoadBalancerArn or networkInterfaceId/ },
  { name: 'mirror session number 0', mutate: all(fleetMirroring, set('network.trafficMirroring.sessionNumber', 0)), path: 'network.trafficMirroring.sessionNumber', says: /expected number to be >=1/ },
  { name: 'mirror session number 32767', mutate: all(fleetMirroring, set('network.trafficMirroring.sessionNumber', 32767)), path: 'network.trafficMirroring.sessionNumber', says: /expected number to be <=32766/ },
  { name: 'fleet mirroring as a string', mutate: all(fleetMirroring, set('network.trafficMirroring.fleet', 'yes')), path: 'network.trafficMirroring.fleet', says: /expected boolean/ },

  // Shield Advanced.
  { name: 'Shield proactive engagement without contacts', mutate: set('application.shieldAdvanced', { enabled: true }), path: 'application.shieldAdvanced.emergencyContacts', says: /proactive engagement needs at least one emergency contact/ },
  { name: 'Shield contacts without a phone', mutate: set('application.shieldAdvanced', { enabled: true, emergencyContacts: [{ email: 'soc@example.com' }] }), path: 'application.shieldAdvanced.emergencyContacts', says: /needs a phone number on at least one/ },
  { name: 'Shield phone not E.164', mutate: shield({ email: 'soc@example.com', phone: '0151 12345678' }), path: 'application.shieldAdvanced.emergencyContacts[0].phone', says: /must be an E\.164 phone number/ },
  { name: 'Shield contact email invalid', mutate: shield({ email: 'soc at example.com', phone: '+4915112345678' }), path: 'application.shieldAdvanced.emergencyContacts[0].email', says: /must be an email address/ },
  { name: 'Shield contact notes with markup', mutate: shield({ email: 'soc@example.com', phone: '+4915112345678', notes: '<script>' }), path: 'application.shieldAdvanced.emergencyContacts[0].notes', says: /may use letters, digits, spaces/ },
  { name: 'Shield eleven contacts', mutate: shield(...Array.from({ length: 11 }, (_, i) => ({ email: `c${i}@example.com`, phone: '+4915112345678' }))), path: 'application.shieldAdvanced.emergencyContacts', says: /at most 10 emergency contacts/ },
  { name: 'Shield mitigation "on"', mutate: set('application.shieldAdvanced', { enabled: true, automaticMitigation: 'on', proactiveEngagement: false }), path: 'application.shieldAdvanced.automaticMitigation', says: /block.*count.*off/ },
  { name: 'Shield unknown field', mutate: set('application.shieldAdvanced', { enabled: true, subscribe: true, proactiveEngagement: false }), path: 'application.shieldAdvanced.subscribe', says: /unknown field/ },
  { name: 'Shield protection group id over 36', mutate: all(set('application.shieldAdvanced', { enabled: true, proactiveEngagement: false }), set('name', 'a'.repeat(30))), path: 'environments[0].name', says: /protection group id "a{30}-dev-edge" is 39 characters; Shield allows 36: shorten name or this environment's name by 3/ },
  {
    name: 'Shield with two environments in one account',
    mutate: all(set('application.shieldAdvanced', { enabled: true, proactiveEngagement: false }), add('environments', { name: 'stage', account: '111111111111', region: 'eu-west-1', profile: 'development', cidr: '10.21.0.0/16' })),
    path: 'environments[1].account',
    says: /shares account 111111111111 with environments\[0\]; Shield Advanced/,
  },
  // Account-level services.
  { name: 'standalone without alternate contacts', mutate: remove('detection.alternateContacts'), path: 'detection.alternateContacts', says: /required in standalone mode/ },
  { name: 'alternate contact phone with letters', mutate: set('detection.alternateContacts.security.phone', '+1 555 CALL-SEC'), path: 'detection.alternateContacts.security.phone', says: /only digits, spaces/ },
  { name: 'alternate contact phone of 26 characters', mutate: set('detection.alternateContacts.billing.phone', '1'.repeat(26)), path: 'detection.alternateContacts.billing.phone', says: /at most 25 characters/ },
  { name: 'alternate contact email without domain', mutate: set('detection.alternateContacts.operations.email', 'ops@localhost'), path: 'detection.alternateContacts.operations.email', says: /must be an email address the Account API accepts/ },
  { name: 'alternate contact title of 51 characters', mutate: set('detection.alternateContacts.security.title', 'T'.repeat(51)), path: 'detection.alternateContacts.security.title', says: /at most 50 characters/ },
  { name: 'alternate contact missing', mutate: remove('detection.alternateContacts.billing'), path: 'detection.alternateContacts.billing', says: /required/ },
  { name: 'CIS scan weekly without days', mutate: set('detection.cisScan', { schedule: { frequency: 'weekly', time: '05:00', timeZone: 'UTC' } }), path: 'detection.cisScan.schedule.days', says: /required for a weekly schedule/ },
  { name: 'CIS scan daily with a day', mutate: set('detection.cisScan', { schedule: { frequency: 'daily', day: 'SUN', time: '05:00', timeZone: 'UTC' } }), path: 'detection.cisScan.schedule.day', says: /only for a monthly schedule/ },
  { name: 'CIS scan at 25:00', mutate: set('detection.cisScan', { schedule: { frequency: 'daily', time: '25:00', timeZone: 'UTC' } }), path: 'detection.cisScan.schedule.time', says: /must be HH:MM/ },
  { name: 'CIS scan in time zone CEST', mutate: set('detection.cisScan', { schedule: { frequency: 'daily', time: '05:00', timeZone: 'CEST' } }), path: 'detection.cisScan.schedule.timeZone', says: /IANA time zone/ },
  { name: 'CIS scan on day SUNDAY', mutate: set('detection.cisScan', { schedule: { frequency: 'weekly', days: ['SUNDAY'], time: '05:00', timeZone: 'UTC' } }), path: 'detection.cisScan.schedule.days[0]', says: /SUN/ },
  { name: 'CIS scan days repeat', mutate: set('detection.cisScan', { schedule: { frequency: 'weekly', days: ['SUN', 'SUN'], time: '05:00', timeZone: 'UTC' } }), path: 'detection.cisScan.schedule.days', says: /must not repeat/ },
  { name: 'Audit Manager without frameworks', mutate: set('detection.auditManager', { enabled: true, processOwnerRoleName: 'audit-owner' }), path: 'detection.auditManager.frameworkIds', says: /at least one framework id/ },
  { name: 'Audit Manager framework by name', mutate: set('detection.auditManager', { enabled: true, processOwnerRoleName: 'audit-owner', frameworkIds: ['NIST SP 800-53 Rev 5'] }), path: 'detection.auditManager.frameworkIds[0]', says: /lowercase UUID/ },
  { name: 'Audit Manager without a process owner', mutate: set('detection.auditManager', { enabled: true, frameworkIds: [UUID] }), path: 'detection.auditManager.processOwnerRoleName', says: /process owner/ },
  { name: 'Audit Manager framework twice', mutate: set('detection.auditManager', { enabled: true, processOwnerRoleName: 'audit-owner', frameworkIds: [UUID, UUID] }), path: 'detection.auditManager.frameworkIds', says: /must not repeat/ },
  { name: 'Athena scan limit below 1 GB', mutate: set('analytics.queryScanLimitGb', 0), path: 'analytics.queryScanLimitGb', says: /at least 1 GB/ },
  { name: 'Athena scan limit not whole GB', mutate: set('analytics.queryScanLimitGb', 0.5), path: 'analytics.queryScanLimitGb', says: /whole number of GB/ },
  { name: 'query results kept for no time', mutate: set('analytics.resultRetentionDays', 0), path: 'analytics.resultRetentionDays', says: /at least 1 day/ },
  // Log archive: audit history a year in every profile, a lock lifecycle can live with, a copy outside the account.
  { name: 'audit logs kept 90 days', mutate: set('logArchive', { auditRetentionDays: 90 }), path: 'logArchive.auditRetentionDays', says: /at least 365: audit history is kept twelve months/ },
  { name: 'log lock longer than flow-log retention', mutate: set('logArchive', { objectLock: { days: 365 } }), path: 'logArchive.objectLock.days', says: /must not exceed network.flowLogs.retentionDays \(90\)/ },
  { name: 'log lock mode lower case', mutate: set('logArchive', { objectLock: { mode: 'compliance' } }), path: 'logArchive.objectLock.mode', says: /GOVERNANCE|COMPLIANCE/ },
  { name: 'break-glass role is a user', mutate: set('logArchive', { breakGlassRoleArn: 'arn:aws:iam::111111111111:user/alice' }), path: 'logArchive.breakGlassRoleArn', says: /must be an IAM role ARN/ },
  { name: 'log replication into the same account', mutate: set('logArchive', { replication: { bucketArn: 'arn:aws:s3:::org-log-archive', account: '111111111111', keyArn: keyArn('eu-west-1', '111111111111', 2) } }), path: 'logArchive.replication.account', says: /must be the Log Archive account/ },
  { name: 'log replication key in another region', mutate: set('logArchive', { replication: { bucketArn: 'arn:aws:s3:::org-log-archive', account: '999999999999', keyArn: keyArn('us-east-1', '999999999999', 2) } }), path: 'logArchive.replication.keyArn', says: /must be in eu-west-1 .*same-region replication/ },
  { name: 'critical data without Object Lock', mutate: set('data.classification', 'critical'), path: 'data.objectLock', says: /critical requires enabled: true and mode: COMPLIANCE/ },
  { name: 'critical data locked in governance mode', mutate: all(set('data.classification', 'critical'), set('data.objectLock', { enabled: true, mode: 'GOVERNANCE' })), path: 'data.objectLock', says: /mode: COMPLIANCE/ },
  { name: 'critical data without a backup copy', mutate: all(set('data.classification', 'critical'), set('data.objectLock', { enabled: true, mode: 'COMPLIANCE' })), path: 'backup.copyToVaultArn', says: /required for classification critical/ },
  { name: 'log replication key of a third account', mutate: set('logArchive', { replication: { bucketArn: 'arn:aws:s3:::org-log-archive', account: '999999999999', keyArn: keyArn('eu-west-1', '888888888888', 2) } }), path: 'logArchive.replication.keyArn', says: /must be a key of the destination account 999999999999/ },
];
