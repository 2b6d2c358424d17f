import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writeReport } from '../../../tools/report';
import { loadMatrix } from '../../../tools/report/traceability';
import { REPO_ROOT } from '../../helpers/app';

/**
 * `npm run report` for the dev example, opened in headless Chromium (Debian's package). Without Chromium the test is
 * skipped locally with a message; in CI (.ci/run installs it) its absence is a failure.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs it with apt-get install chromium`);
if (!present) console.warn(`report page test skipped: ${CHROMIUM} is not installed (apt-get install chromium); CI installs it and runs this test`);
const maybe = present ? describe : describe.skip;

maybe('the report page in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let file: string;
  const failed: string[] = [];
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    // cfn-lint is left to the compliance tests; this is the one synth of the report. The page goes to a folder of its
    // own, so another test's synth into cdk.out cannot remove it while it loads.
    file = await writeReport('config/dev.yaml', { root: REPO_ROOT, outdir: mkdtempSync(join(tmpdir(), 'sra-report-')), cfnLint: false });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`file://${file}`, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('loads with no failed request, no console error, and requests nothing but itself', () => {
    expect(failed).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
  });

  test('every section is present', async () => {
    for (const id of ['architecture', 'traceability', 'compliance', 'cost', 'limits', 'cfn-lint']) expect(await page.locator(`#${id}`).count()).toBe(1);
  });

  test('the diagram is drawn with a box for every stack, and for the key resources of each', async () => {
    const svg = page.locator('svg#architecture-diagram');
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(600);
    const boxes = await page.locator('svg#architecture-diagram g.box').evaluateAll((gs) => gs.map((g) => ({ stacks: g.getAttribute('data-stack')!.split(' '), types: g.getAttribute('data-types')!.split(' '), w: Number(g.querySelector('rect')!.getAttribute('width')) })));
    expect(boxes.every((b) => b.w > 0)).toBe(true);
    const types = new Set(boxes.flatMap((b) => b.types));
    for (const stack of ['Security', 'Network', 'Data', 'Detection', 'Application', 'Response']) expect([stack, boxes.some((b) => b.stacks.includes(stack))]).toEqual([stack, true]);
    for (const type of [
      'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::VPCEndpoint', 'AWS::WAFv2::WebACL', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::AutoScaling::AutoScalingGroup',
      'AWS::RDS::DBCluster', 'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::GuardDuty::Detector', 'AWS::SecurityHub::Hub', 'AWS::Config::ConfigurationRecorder',
      'AWS::CloudTrail::Trail', 'AWS::AccessAnalyzer::Analyzer', 'Custom::InspectorEnablement', 'AWS::StepFunctions::StateMachine', 'AWS::EC2::NatGateway',
    ]) {
      expect([type, types.has(type)]).toEqual([type, true]);
    }
    expect(await page.locator('svg#architecture-diagram polyline.flow').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('#architecture .containment').innerText()).toMatch(/-incident-isolation reaches containment in \d+ states; by design \d+ s of waiting/);
  });

  test('the matrix shows every row, gaps included, and the page names the counts', async () => {
    const matrix = loadMatrix(REPO_ROOT);
    expect(await page.locator('table.matrix tbody tr').count()).toBe(matrix.rows.length);
    expect(await page.locator('table.matrix .status-gap').count()).toBe(matrix.rows.filter((r) => r.status === 'gap').length);
    expect(await page.locator('#traceability').innerText()).toMatch(new RegExp(`${matrix.rows.length} requirements and practices traced`));
  });

  test('compliance, cost and limits carry figures', async () => {
    const compliance = await page.locator('#compliance').innerText();
    for (const pack of ['AwsSolutions', 'NIST.800.53.R5', 'PCI.DSS.321', 'HIPAA.Security']) expect(compliance).toContain(pack);
    expect(compliance).toMatch(/cfn-lint\s+not run/);
    const cost = await page.locator('#cost').innerText();
    expect(cost).toMatch(/dev \(development profile\): \$\d+\.\d\d a month/);
    expect(cost).toMatch(/Shield Advanced\s+\$3000\.00/);
    const limits = await page.locator('#limits').innerText();
    expect(limits).toMatch(/sra-app-dev-network\s+\d+/);
    expect(limits).toMatch(/interface endpoints per VPC\s+9\s+50/);
  });

  test('a screenshot goes to the build folder', async () => {
    const dir = join(REPO_ROOT, 'cdk.out', 'report');
    mkdirSync(dir, { recursive: true });
    const png = join(dir, 'dev.png');
    await page.screenshot({ path: png, fullPage: true });
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  });
});
