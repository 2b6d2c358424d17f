import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveEnvironments } from '../../../src/config';
import { OS_BASELINE_DOCUMENT } from '../../../src/constructs/compute/os-baseline';
import { configFrom, resourcesOfType, synthesize, synthesizeExample } from '../../helpers/app';

interface Step {
  action: string;
  name: string;
  precondition?: unknown;
  inputs: { timeoutSeconds: string; runCommand: string[] };
}
interface CommandDocument {
  schemaVersion: string;
  description: string;
  parameters: Record<string, { type: string; description: string; allowedPattern: string }>;
  mainSteps: Step[];
}

const document = parse(readFileSync(OS_BASELINE_DOCUMENT, 'utf8')) as CommandDocument;
const script = (name: string) => document.mainSteps.find((s) => s.name === name)!.inputs.runCommand.join('\n');
/** The document with its parameters substituted the way Run Command does. */
const rendered = (text: string, values: Record<string, string>) => text.replace(/\{\{ *(\w+) *\}\}/g, (_m, key: string) => values[key] ?? `{{${key}}}`);

describe('the OS baseline document (kept in the repository)', () => {
  test('is a schema 2.2 Command document of shell steps for Linux, with typed, pattern-checked parameters only', () => {
    expect(document.schemaVersion).toBe('2.2');
    expect(document.description.length).toBeGreaterThan(20);
    expect(Object.keys(document).sort()).toEqual(['description', 'mainSteps', 'parameters', 'schemaVersion']);
    expect(Object.keys(document.parameters).sort()).toEqual(['allowedCidrs', 'appPort']);
    for (const parameter of Object.values(document.parameters)) {
      expect(parameter.type).toBe('String');
      expect(parameter.allowedPattern).toMatch(/^\^.*\$$/);
    }
    expect(document.mainSteps.map((s) => s.name)).toEqual(['hostFirewall', 'auditRules', 'fileIntegrity', 'report']);
    for (const step of document.mainSteps) {
      expect(step.action).toBe('aws:runShellScript');
      expect(step.precondition).toEqual({ StringEquals: ['platformType', 'Linux'] });
      expect(Number(step.inputs.timeoutSeconds)).toBeGreaterThan(0);
      expect(step.inputs.runCommand.length).toBeGreaterThan(0);
    }
  });

  test('parameter patterns admit CIDR lists and ports, and refuse anything that could reach the shell', () => {
    const cidrs = new RegExp(document.parameters.allowedCidrs!.allowedPattern);
    const port = new RegExp(document.parameters.appPort!.allowedPattern);
    expect(cidrs.test('10.20.4.0/24,10.20.12.0/24')).toBe(true);
    expect(cidrs.test('10.20.4.0/24')).toBe(true);
    for (const bad of ['10.0.0.0/8; reboot', '10.0.0.0/8 ', "10.0.0.0/8'", '$(id)', '10.0.0.0/8,,10.1.0.0/16', '']) expect(cidrs.test(bad)).toBe(false);
    expect(port.test('8080')).toBe(true);
    for (const bad of ['80 80', '8080;', '-1', '']) expect(port.test(bad)).toBe(false);
  });

  test('every step is valid bash once its parameters are substituted (bash -n)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'os-baseline-'));
    for (const step of document.mainSteps) {
      const file = join(dir, `${step.name}.sh`);
      writeFileSync(file, rendered(step.inputs.runCommand.join('\n'), { appPort: '8080', allowedCidrs: '10.20.4.0/24,10.20.12.0/24' }));
      expect(() => execFileSync('bash', ['-n', file], { stdio: 'pipe' })).not.toThrow();
    }
  });

  test('every here-document ends (bash -n only warns about an unterminated one)', () => {
    for (const step of document.mainSteps) {
      const text = step.inputs.runCommand.join('\n');
      const lines = text.split('\n');
      for (const [, word] of text.matchAll(/<<'?(\w+)'?/g)) expect(lines).toContain(word);
    }
    expect([...script('hostFirewall').matchAll(/<<'?(\w+)'?/g)].length + [...script('fileIntegrity').matchAll(/<<'?(\w+)'?/g)].length).toBe(3);
  });

  test('bash -n does catch a broken step (the syntax check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'os-baseline-'));
    const file = join(dir, 'broken.sh');
    writeFileSync(file, script('hostFirewall').replace(/\nfi\n/, '\n'));
    expect(() => execFileSync('bash', ['-n', file], { stdio: 'pipe' })).toThrow();
  });

  test('the host firewall step, run with a stand-in nft: its table admits exactly the given CIDRs to the given port, is persisted, and verifies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'os-baseline-firewall-'));
    const bin = join(dir, 'bin');
    execFileSync('mkdir', ['-p', bin, join(dir, 'etc', 'sysconfig'), join(dir, 'state')]);
    // nft: the check is the real `nft -c` where nftables is installed (it parses without touching the host's
    // ruleset), loading keeps the file, listing shows what was loaded; firewalld is not running.
    const check = existsSync('/usr/sbin/nft') ? 'exec /usr/sbin/nft -c -f "$3"' : 'exit 0';
    writeFileSync(join(bin, 'nft'), `#!/bin/bash\ncase "$1" in -c) ${check};; -f) cp "$2" ${join(dir, 'loaded')};; list) cat ${join(dir, 'loaded')};; esac\n`, { mode: 0o755 });
    writeFileSync(join(bin, 'systemctl'), '#!/bin/bash\n[ "$1" = is-active ] && exit 3\nexit 0\n', { mode: 0o755 });
    const file = join(dir, 'firewall.sh');
    const text = rendered(script('hostFirewall'), { appPort: '8080', allowedCidrs: '10.20.4.0/24,10.20.12.0/24' })
      .replace('state=/var/lib/os-baseline', `state=${join(dir, 'state')}`)
      .replaceAll('/etc/', `${dir}/etc/`);
    writeFileSync(file, text);
    execFileSync('bash', [file], { stdio: 'pipe', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    const loaded = readFileSync(join(dir, 'loaded'), 'utf8');
    expect(loaded.match(/^.*accept$/gm)!.map((l) => l.trim())).toEqual([
      'iifname "lo" accept',
      'ct state established,related accept',
      'icmp type { destination-unreachable, time-exceeded, parameter-problem } accept',
      'icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem, nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept',
      'udp sport 67 udp dport 68 accept',
      'ip saddr { 10.20.4.0/24, 10.20.12.0/24 } tcp dport 8080 accept',
    ]);
    expect(loaded).toContain('type filter hook input priority filter; policy drop;');
    expect(readFileSync(join(dir, 'etc', 'nftables', 'os-baseline.nft'), 'utf8')).toBe(loaded);
    expect(readFileSync(join(dir, 'etc', 'sysconfig', 'nftables.conf'), 'utf8')).toBe(`include "${dir}/etc/nftables/os-baseline.nft"\n`);
    expect(readFileSync(join(dir, 'state', 'firewall.status'), 'utf8')).toBe('firewall|COMPLIANT|inbound only tcp/8080 from 10.20.4.0/24,10.20.12.0/24\n');
  });

  test('the host firewall drops inbound by default and admits only the app port from the allowed sources, plus replies', () => {
    const firewall = script('hostFirewall');
    expect(firewall).toContain('policy drop;');
    expect(firewall).toContain('ct state established,related accept');
    expect(firewall).toContain('ip saddr { $set_list } tcp dport $port accept');
    // Only one rule admits new TCP connections.
    expect(firewall.match(/tcp dport/g)).toHaveLength(2); // the rule, and its check
    expect(firewall).not.toMatch(/hook output/);
    expect(firewall).toContain("port='{{ appPort }}'");
    expect(firewall).toContain("cidrs='{{ allowedCidrs }}'");
  });

  test('audit rules cover identity files, sudoers, time changes, module loading and privileged commands', () => {
    const audit = script('auditRules');
    for (const key of ['identity', 'sudoers', 'time-change', 'modules', 'privileged']) expect(audit).toContain(`-k ${key}`);
    for (const path of ['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/sudoers']) expect(audit).toContain(path);
    expect(audit).toMatch(/-perm -4000 -o -perm -2000/);
  });

  test('file integrity: AIDE installed, its database initialised when missing, a daily check by systemd timer', () => {
    const aide = script('fileIntegrity');
    expect(aide).toContain('aide --init');
    expect(aide).toMatch(/if \[ ! -s "\$db" \]; then/);
    expect(aide).toContain('OnCalendar=daily');
    expect(aide).toContain('systemctl enable --now aide-check.timer');
  });

  describe('the report step, run with stand-ins for the metadata service and the AWS CLI', () => {
    const run = (statuses: Record<string, string | undefined>) => {
      const dir = mkdtempSync(join(tmpdir(), 'os-baseline-report-'));
      const state = join(dir, 'state');
      const bin = join(dir, 'bin');
      execFileSync('mkdir', ['-p', state, bin]);
      for (const [control, line] of Object.entries(statuses)) if (line) writeFileSync(join(state, `${control}.status`), `${line}\n`);
      writeFileSync(join(bin, 'curl'), '#!/bin/bash\ncase "$*" in *api/token*) echo token;; *instance-id*) echo i-0123456789abcdef0;; *placement/region*) echo eu-west-1;; esac\n', { mode: 0o755 });
      writeFileSync(join(bin, 'aws'), `#!/bin/bash\nprintf '%s\\n' "$@" > ${join(dir, 'aws-args')}\n`, { mode: 0o755 });
      const file = join(dir, 'report.sh');
      writeFileSync(file, script('report').replace('state=/var/lib/os-baseline', `state=${state}`));
      let status = 0;
      try {
        execFileSync('bash', [file], { stdio: 'pipe', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
      } catch (error) {
        status = (error as { status: number }).status;
      }
      return { status, args: readFileSync(join(dir, 'aws-args'), 'utf8').trim().split('\n') };
    };

    test('all controls met: exit 0, three COMPLIANT items for this instance', () => {
      const { status, args } = run({
        firewall: 'firewall|COMPLIANT|inbound only tcp/8080 from 10.20.4.0/24,10.20.12.0/24',
        audit: 'audit|COMPLIANT|rules loaded',
        'file-integrity': 'file-integrity|COMPLIANT|clean',
      });
      expect(status).toBe(0);
      expect(args.slice(0, 12)).toEqual(['ssm', 'put-compliance-items', '--region', 'eu-west-1', '--resource-id', 'i-0123456789abcdef0', '--resource-type', 'ManagedInstance', '--compliance-type', 'Custom:OsBaseline', '--execution-summary', expect.stringMatching(/^ExecutionTime=\d{4}-\d\d-\d\dT/)]);
      expect(args.slice(12)).toEqual([
        '--items',
        'Id=firewall,Title=inbound only tcp/8080 from 10.20.4.0/24;10.20.12.0/24,Severity=HIGH,Status=COMPLIANT',
        'Id=audit,Title=rules loaded,Severity=HIGH,Status=COMPLIANT',
        'Id=file-integrity,Title=clean,Severity=HIGH,Status=COMPLIANT',
      ]);
    });

    test('a failed control, or one that never ran, fails the run and is reported NON_COMPLIANT', () => {
      const { status, args } = run({ firewall: 'firewall|COMPLIANT|ok', audit: 'audit|NON_COMPLIANT|not loaded: modules', 'file-integrity': undefined });
      expect(status).toBe(1);
      expect(args).toContain('Id=audit,Title=not loaded: modules,Severity=HIGH,Status=NON_COMPLIANT');
      expect(args).toContain('Id=file-integrity,Title=did not run,Severity=HIGH,Status=NON_COMPLIANT');
    });
  });

  test('the report step sends each control to Systems Manager compliance and fails the run when one is not met', () => {
    const report = script('report');
    expect(report).toContain('put-compliance-items');
    expect(report).toContain('--compliance-type Custom:OsBaseline');
    expect(report).toContain('exit "$failed"');
    for (const control of ['firewall', 'audit', 'file-integrity']) expect(report).toContain(control);
  });
});

describe('the OS baseline association', () => {
  test.each([
    ['dev', 'rate(1 day)'],
    ['prod', 'rate(12 hours)'],
  ] as const)('%s: runs the repository document on the fleet by tag, on the config schedule, with the public subnets and app port', (name, schedule) => {
    const s = synthesizeExample(name);
    const settings = s.built.stages[0]!.application.fleet;
    const associations = resourcesOfType(s.json.Application!, 'AWS::SSM::Association').filter(([, p]) => (p.AssociationName as string).endsWith('-os-baseline'));
    expect(associations).toHaveLength(1);
    const [, association] = associations[0]!;
    const publicCidrs = planFor(name).public;
    expect(association).toMatchObject({
      Parameters: { appPort: ['8080'], allowedCidrs: [publicCidrs.join(',')] },
      Targets: [{ Key: `tag:${settings.fleetTag.key}`, Values: [settings.fleetTag.value] }],
      ScheduleExpression: schedule,
      ComplianceSeverity: 'HIGH',
      MaxConcurrency: '1',
    });
    const documentId = (association.Name as { Ref: string }).Ref;
    expect(s.json.Application!.Resources[documentId]!.Properties).toMatchObject({ DocumentType: 'Command', Content: document });
  });

  test('an internal load balancer: the firewall admits the app subnets instead; with the public image there is no Image stack, and the fleet keeps its logical IDs', () => {
    const s = synthesize(
      configFrom('dev', (c) => {
        c.application.internetFacing = false;
        c.application.image = { source: 'public' };
        c.application.port = 8443;
      }),
    );
    expect(s.json.Image).toBeUndefined();
    const [, association] = resourcesOfType(s.json.Application!, 'AWS::SSM::Association').find(([, p]) => (p.AssociationName as string).endsWith('-os-baseline'))!;
    expect(association.Parameters).toEqual({ appPort: ['8443'], allowedCidrs: [planFor('dev').app.join(',')] });
    const ids = (json: typeof s.json.Application) =>
      ['AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::AutoScalingGroup'].map((type) => resourcesOfType(json!, type).map(([id]) => id));
    expect(ids(s.json.Application)).toEqual(ids(synthesizeExample('dev').json.Application));
    const [, template] = resourcesOfType(s.json.Application!, 'AWS::EC2::LaunchTemplate')[0]!;
    expect(template.LaunchTemplateData.ImageId).toEqual({ Ref: expect.stringMatching(/al2023amikerneldefaultarm64/) });
  });

  test('osBaseline.enabled false removes the association', () => {
    const s = synthesize(configFrom('dev', (c) => (c.application.osBaseline = { enabled: false })));
    expect(resourcesOfType(s.json.Application!, 'AWS::SSM::Association').filter(([, p]) => (p.AssociationName as string).endsWith('-os-baseline'))).toEqual([]);
  });
});

/** The subnet plan the loader computes for the example config. */
function planFor(name: 'dev' | 'prod') {
  return resolveEnvironments(configFrom(name))[0]!.network.subnets;
}
