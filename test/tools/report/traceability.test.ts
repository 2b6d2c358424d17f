import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedSections } from '../../../tools/report/seed-sections';
import { checkMatrix, loadMatrix, matrixCounts, seedsDir, type Matrix } from '../../../tools/report/traceability';
import { REPO_ROOT } from '../../helpers/app';

const matrix = loadMatrix(REPO_ROOT);
const copy = (): Matrix => structuredClone(matrix);
const seeds = seedsDir(REPO_ROOT);
const seedsPresent = Object.values(matrix.sources).every((s) => existsSync(join(seeds, s.file)));

describe('docs/traceability.yaml', () => {
  test('every file, construct, test, Config rule and quote it names exists, and every section of both sources has a row', () => {
    expect(checkMatrix(REPO_ROOT, matrix)).toEqual([]);
  });

  test('the source texts are here to check the sections and quotes against (SRA_SEEDS_DIR or docs/sources)', () => {
    expect(seedsPresent).toBe(true);
  });

  test('implemented and partial rows name code and a test; others say why in a note', () => {
    for (const row of matrix.rows) {
      if (row.status === 'implemented' || row.status === 'partial') expect([row.id, row.implementation.length > 0 && row.tests.length > 0]).toEqual([row.id, true]);
      if (row.status === 'partial' || row.status === 'gap' || row.status === 'out-of-scope') expect([row.id, Boolean(row.note)]).toEqual([row.id, true]);
    }
    const counts = matrixCounts(matrix);
    expect(counts.traced).toBe(counts.implemented + counts.partial + counts.gap + counts.outOfScope + counts.informative);
  });

  describe('the check fails', () => {
    const problems = (mutate: (m: Matrix) => void) => {
      const m = copy();
      mutate(m);
      return checkMatrix(REPO_ROOT, m);
    };
    const firstImplemented = (m: Matrix) => m.rows.find((r) => r.status === 'implemented' && r.implementation.some((i) => i.construct))!;

    test('on a file that does not exist', () => {
      expect(problems((m) => (firstImplemented(m).implementation[0] = { file: 'src/constructs/nowhere.ts' }))).toContainEqual(expect.stringMatching(/src\/constructs\/nowhere\.ts does not exist/));
    });

    test('on a construct the file does not declare', () => {
      expect(
        problems((m) => {
          const row = firstImplemented(m);
          const ref = row.implementation.find((i) => i.construct)!;
          row.implementation = [{ ...ref, construct: 'NoSuchConstruct' }];
        }),
      ).toContainEqual(expect.stringMatching(/declares no NoSuchConstruct/));
    });

    test('on a test file or test name that does not exist', () => {
      expect(problems((m) => (firstImplemented(m).tests = [{ file: 'test/constructs/nowhere.test.ts' }]))).toContainEqual(expect.stringMatching(/test test\/constructs\/nowhere\.test\.ts does not exist/));
      expect(problems((m) => (firstImplemented(m).tests = [{ file: firstImplemented(m).tests[0]!.file, name: 'a test nobody wrote' }]))).toContainEqual(expect.stringMatching(/has no test named "a test nobody wrote"/));
    });

    test('on a section with no row', () => {
      expect(problems((m) => (m.rows = m.rows.filter((r) => r.section !== 'Clean Room')))).toContainEqual('pillar: section "Clean Room" has no row');
    });

    test('on a Config rule the account does not deploy, and on a malformed Security Hub control', () => {
      const found = problems((m) => (firstImplemented(m).checks = { config: ['NOT_A_RULE'], securityHub: ['not a control'] }));
      expect(found).toContainEqual(expect.stringMatching(/Config rule NOT_A_RULE is not in the deployed catalogue/));
      expect(found).toContainEqual(expect.stringMatching(/"not a control" is not a Security Hub control id/));
    });

    test('on a quote that is not in its section, and on a seed heading the matrix does not list', () => {
      const dir = mkdtempSync(join(tmpdir(), 'seeds-'));
      const src = matrix.sources.sra!;
      writeFileSync(join(dir, src.file), ['Title', '', ...src.sections.flatMap((s) => [s.replace(/ › .*$/, ''), '', 'Text of the section.', ''])].join('\n') + '\nA New Heading\n\nMore text.\n');
      const m = copy();
      m.sources = { sra: src };
      m.rows = m.rows.filter((r) => r.source === 'sra');
      const found = checkMatrix(REPO_ROOT, m, dir);
      expect(found).toContainEqual('sra: the seed has a section "A New Heading" that docs/traceability.yaml does not list');
      expect(found).toContainEqual(expect.stringMatching(/the quote is not in section/));
    });
  });
});

describe('seed section headings (tools/report/seed-sections.ts)', () => {
  test('standalone style: lines alone between blank lines; design considerations belong to their parent; lost service headings recovered', () => {
    const text = [
      'Page title', '', 'Amazon EC2', '', 'Instances use IMDSv2. Two sentences here.', '', 'Design considerations', '  • A bullet.', '',
      '        Indented caption', '', '', 'AWS Key Management Service (AWS KMS) makes it easy for you to create and manage keys.', '',
    ].join('\n');
    expect(seedSections(text, 'standalone').map((s) => s.heading)).toEqual(['Page title', 'Amazon EC2', 'Amazon EC2 › Design considerations', 'AWS Key Management Service']);
  });

  test('title-case style: wrapped headings join, repeated sub-headings and footnotes belong to the section above', () => {
    const text = [
      ' Detective Controls ', 'You can use detective controls.', 'Integrate Auditing Controls with Notification and ', 'Workflow ', 'Security operations teams rely on logs.',
      'Key AWS Services ', 'The key AWS service.', 'Credentials11 ', '• Bullet Item ', 'Architected_Framework.pdf ',
    ].join('\n');
    const sections = seedSections(text, 'title-case');
    expect(sections.map((s) => s.heading)).toEqual(['Detective Controls', 'Integrate Auditing Controls with Notification and Workflow']);
    expect(sections[1]!.text).toContain('Key AWS Services The key AWS service.');
  });

  (seedsPresent ? test : test.skip)('the headings parsed from both seeds are exactly the sections the matrix lists', () => {
    for (const src of Object.values(matrix.sources)) {
      expect(seedSections(readFileSync(join(seeds, src.file), 'utf8'), src.headingStyle).map((s) => s.heading)).toEqual(src.sections);
    }
  });
});
