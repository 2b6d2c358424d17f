import { formatMessage, parseWebhookFormat, type SlackPayload, type TeamsPayload } from '../../../functions/finding-notifier/format';
import { type NormalisedFinding } from '../../../functions/finding-notifier/normalise';

const finding: NormalisedFinding = {
  source: 'aws.guardduty',
  detailType: 'GuardDuty Finding',
  title: 'Unprotected port on EC2 instance i-0c10c2c7863d1a356 is being probed.',
  severity: 'HIGH',
  resource: 'i-0c10c2c7863d1a356',
  resourceType: 'Instance',
  account: '111122223333',
  region: 'eu-west-1',
  link: 'https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=46ba0ac2',
  id: '46ba0ac2',
};

describe('slack', () => {
  test('four short lines: severity and title, resource, account and region, console link', () => {
    const payload = formatMessage(finding, 'slack') as SlackPayload;
    const lines = [
      'Resource: i-0c10c2c7863d1a356 (Instance)',
      'Account 111122223333 | Region eu-west-1',
      // & is escaped for Slack; Slack unescapes it inside the link.
      '<https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&amp;fId=46ba0ac2|Open in the AWS console>',
    ];
    expect(payload).toEqual({
      text: ['[HIGH] Unprotected port on EC2 instance i-0c10c2c7863d1a356 is being probed.', ...lines].join('\n'),
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: ['*[HIGH] Unprotected port on EC2 instance i-0c10c2c7863d1a356 is being probed.*', ...lines].join('\n') },
        },
      ],
    });
  });

  test('control characters in finding data cannot become mentions or links', () => {
    const payload = formatMessage({ ...finding, title: '<!channel> see <https://evil.example|here> & more' }, 'slack') as SlackPayload;
    expect(payload.text.split('\n')[0]).toBe('[HIGH] &lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; more');
    expect(payload.blocks[0].text.text).not.toContain('<!channel>');
  });

  test('without a link or location the message says so instead of printing undefined', () => {
    const bare = { ...finding, link: undefined, account: undefined, region: undefined, resource: undefined, resourceType: undefined };
    const payload = formatMessage(bare, 'slack') as SlackPayload;
    expect(payload.text).toBe(
      '[HIGH] Unprotected port on EC2 instance i-0c10c2c7863d1a356 is being probed.\nResource: n/a\nAccount and region unknown',
    );
  });
});

describe('teams', () => {
  test('an Adaptive Card in a message envelope, with facts and a console button', () => {
    const payload = formatMessage(finding, 'teams') as TeamsPayload;
    expect(payload.type).toBe('message');
    expect(payload.attachments).toHaveLength(1);
    const [attachment] = payload.attachments;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content).toEqual({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
      body: [
        {
          type: 'TextBlock',
          text: '[HIGH] Unprotected port on EC2 instance i-0c10c2c7863d1a356 is being probed.',
          weight: 'Bolder',
          wrap: true,
          color: 'Attention',
        },
        {
          type: 'FactSet',
          facts: [
            { title: 'Resource', value: 'i-0c10c2c7863d1a356' },
            { title: 'Type', value: 'Instance' },
            { title: 'Account', value: '111122223333' },
            { title: 'Region', value: 'eu-west-1' },
          ],
        },
      ],
      actions: [{ type: 'Action.OpenUrl', title: 'Open in the AWS console', url: finding.link }],
    });
  });

  test.each([
    ['CRITICAL', 'Attention'],
    ['MEDIUM', 'Warning'],
    ['INFORMATIONAL', 'Default'],
  ] as const)('%s is coloured %s', (severity, colour) => {
    const payload = formatMessage({ ...finding, severity }, 'teams') as TeamsPayload;
    expect((payload.attachments[0].content.body as { color?: string }[])[0].color).toBe(colour);
  });

  test('no button without a link', () => {
    const payload = formatMessage({ ...finding, link: undefined }, 'teams') as TeamsPayload;
    expect(payload.attachments[0].content.actions).toEqual([]);
  });
});

describe('json', () => {
  test('is the normalised finding itself', () => {
    expect(JSON.parse(JSON.stringify(formatMessage(finding, 'json')))).toEqual(finding);
  });
});

describe('WEBHOOK_FORMAT', () => {
  test.each([
    ['slack', 'slack'],
    ['teams', 'teams'],
    ['json', 'json'],
    [' Slack ', 'slack'],
  ])('%p is %s', (value, expected) => {
    expect(parseWebhookFormat(value)).toBe(expected);
  });

  test('an unknown value fails with the allowed values', () => {
    expect(() => parseWebhookFormat('discord')).toThrow('WEBHOOK_FORMAT is "discord"; set it to one of slack, teams, json');
  });

  test('an unset value fails saying so', () => {
    expect(() => parseWebhookFormat(undefined)).toThrow('WEBHOOK_FORMAT is not set');
  });
});
