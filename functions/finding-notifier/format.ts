import { type NormalisedFinding, type Severity } from './normalise';

export const WEBHOOK_FORMATS = ['slack', 'teams', 'json'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Reads WEBHOOK_FORMAT; a typo must fail loudly at the first event rather than post payloads the webhook rejects. */
export function parseWebhookFormat(value: string | undefined): WebhookFormat {
  const format = value?.trim().toLowerCase();
  if (format !== undefined && (WEBHOOK_FORMATS as readonly string[]).includes(format)) return format as WebhookFormat;
  throw new Error(
    `WEBHOOK_FORMAT is ${value === undefined ? 'not set' : `"${value}"`}; set it to one of ${WEBHOOK_FORMATS.join(', ')}`,
  );
}

export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly { type: 'section'; text: { type: 'mrkdwn'; text: string } }[];
}

export interface TeamsPayload {
  readonly type: 'message';
  readonly attachments: readonly {
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: Record<string, unknown>;
  }[];
}

export type WebhookPayload = SlackPayload | TeamsPayload | NormalisedFinding;

export function formatMessage(finding: NormalisedFinding, format: WebhookFormat): WebhookPayload {
  switch (format) {
    case 'slack':
      return slack(finding);
    case 'teams':
      return teams(finding);
    case 'json':
      return finding;
  }
}

/** The four short lines every format shows: severity and title, resource, where, link. */
export function summary(f: NormalisedFinding): { heading: string; resource: string; where: string; link?: string } {
  const where = [f.account && `Account ${f.account}`, f.region && `Region ${f.region}`].filter(Boolean).join(' | ');
  return {
    heading: `[${f.severity}] ${f.title}`,
    resource: `Resource: ${f.resource ?? 'n/a'}${f.resourceType ? ` (${f.resourceType})` : ''}`,
    where: where === '' ? 'Account and region unknown' : where,
    link: f.link,
  };
}

// Slack treats &, < and > as control characters: unescaped, a resource name could smuggle in a link or an @channel.
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function slack(f: NormalisedFinding): SlackPayload {
  const s = summary(f);
  const link = s.link === undefined ? [] : [`<${slackEscape(s.link)}|Open in the AWS console>`];
  const rest = [slackEscape(s.resource), slackEscape(s.where), ...link];
  return {
    // `text` is the notification and fallback text; the block is what the channel shows.
    text: [slackEscape(s.heading), ...rest].join('\n'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: [`*${slackEscape(s.heading)}*`, ...rest].join('\n') } }],
  };
}

const TEAMS_COLOUR: Record<Severity, string> = {
  CRITICAL: 'Attention',
  HIGH: 'Attention',
  MEDIUM: 'Warning',
  LOW: 'Default',
  INFORMATIONAL: 'Default',
};

/**
 * An Adaptive Card in a message envelope: the form Teams Workflows webhooks accept (Office 365 connectors and their
 * MessageCard format are being retired).
 */
function teams(f: NormalisedFinding): TeamsPayload {
  const s = summary(f);
  const facts = [
    { title: 'Resource', value: f.resource ?? 'n/a' },
    ...(f.resourceType ? [{ title: 'Type', value: f.resourceType }] : []),
    { title: 'Account', value: f.account ?? 'unknown' },
    { title: 'Region', value: f.region ?? 'unknown' },
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: s.heading, weight: 'Bolder', wrap: true, color: TEAMS_COLOUR[f.severity] },
            { type: 'FactSet', facts },
          ],
          actions: s.link === undefined ? [] : [{ type: 'Action.OpenUrl', title: 'Open in the AWS console', url: s.link }],
        },
      },
    ],
  };
}
