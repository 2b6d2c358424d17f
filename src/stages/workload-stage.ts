import { DefaultStackSynthesizer, Stage, Tags, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../config';
import { AnalyticsStack } from '../stacks/analytics-stack';
import { DeadLetterAlarms } from '../constructs/detection/dead-letter-alarms';
import { ApplicationStack } from '../stacks/application-stack';
import { CleanRoomStack } from '../stacks/clean-room-stack';
import { DataStack } from '../stacks/data-stack';
import { DetectionStack } from '../stacks/detection-stack';
import { ImageStack } from '../stacks/image-stack';
import { NetworkStack } from '../stacks/network-stack';
import { ResponseStack } from '../stacks/response-stack';
import { SecurityStack } from '../stacks/security-stack';

export interface WorkloadStageProps extends StageProps {
  readonly settings: EnvironmentSettings;
}

/** One environment of the application account: its stacks, deployed in dependency order. */
export class WorkloadStage extends Stage {
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly detection: DetectionStack;
  readonly application: ApplicationStack;
  /** Present when `application.image.source` is hardened: the fleet's Image Builder pipeline. */
  readonly image?: ImageStack;
  /** Absent when `response.enabled` is false. */
  readonly response?: ResponseStack;
  /** Present only when `response.cleanRoom.enabled` is true: the clean room is built per incident, not kept. */
  readonly cleanRoom?: CleanRoomStack;
  readonly analytics: AnalyticsStack;

  constructor(scope: Construct, id: string, props: WorkloadStageProps) {
    super(scope, id, { ...props, env: { account: props.settings.account, region: props.settings.region } });
    const { settings } = props;
    const stackName = (tier: string) => `${settings.appName}-${settings.name}-${tier}`;
    const deployment = settings.deployment;
    const common = {
      settings,
      terminationProtection: settings.profile.deletionProtection,
      // A getter, so every `...common` gets its own synthesizer: a shared one would also share its asset manifest.
      get synthesizer() {
        return new DefaultStackSynthesizer({
          qualifier: deployment.qualifier,
          cloudFormationExecutionRole: deployment.cloudFormationExecutionRoleArn,
          deployRoleArn: deployment.deployRoleArn,
        });
      },
    };

    this.security = new SecurityStack(this, 'Security', {
      ...common,
      stackName: stackName('security'),
      description: `Security tooling of the ${settings.appName} application account (${settings.name}): log archive and keys`,
    });
    this.network = new NetworkStack(this, 'Network', {
      ...common,
      stackName: stackName('network'),
      description: `Network tier of the ${settings.appName} application account (${settings.name})`,
      logArchive: this.security.logArchive,
      keys: this.security.keys,
    });
    this.data = new DataStack(this, 'Data', {
      ...common,
      // Stateful: never deletable by accident, whatever the profile.
      terminationProtection: true,
      stackName: stackName('data'),
      description: `Data tier of the ${settings.appName} application account (${settings.name}): Aurora, secrets, data bucket, backup`,
      security: this.security,
      network: this.network,
    });
    const tiers = { security: this.security, network: this.network, data: this.data };
    this.detection = new DetectionStack(this, 'Detection', {
      ...common,
      stackName: stackName('detection'),
      description: `Security services, guardrails and findings routing of the ${settings.appName} application account (${settings.name})`,
      ...tiers,
    });
    if (settings.application.image.source === 'hardened') {
      this.image = new ImageStack(this, 'Image', {
        ...common,
        stackName: stackName('image'),
        description: `Hardened image of the ${settings.appName} application account (${settings.name}): Image Builder pipeline for the app fleet`,
        security: this.security,
        network: this.network,
      });
    }
    this.application = new ApplicationStack(this, 'Application', {
      ...common,
      stackName: stackName('application'),
      description: `Application tier of the ${settings.appName} application account (${settings.name}): load balancer, WAF, app fleet`,
      ...tiers,
      detection: this.detection,
      image: this.image,
    });

    if (settings.response.enabled) {
      this.response = new ResponseStack(this, 'Response', {
        ...common,
        stackName: stackName('response'),
        description: `Incident response of the ${settings.appName} application account (${settings.name}): evidence, responder roles, isolation and release`,
        ...tiers,
        detection: this.detection,
        application: this.application,
      });
    }
    // After Response: only its investigator and responder roles may query the logs.
    this.analytics = new AnalyticsStack(this, 'Analytics', {
      ...common,
      stackName: stackName('analytics'),
      description: `Log investigation of the ${settings.appName} application account (${settings.name}): log tables, Athena workgroup, saved queries`,
      security: this.security,
      network: this.network,
      detection: this.detection,
      application: this.application,
      queryRoles: this.response ? [this.response.responders.investigator, this.response.responders.responder] : [],
    });

    if (settings.response.cleanRoom.enabled) {
      this.cleanRoom = new CleanRoomStack(this, 'CleanRoom', {
        ...common,
        stackName: stackName('clean-room'),
        description: `Forensic clean room of the ${settings.appName} application account (${settings.name}): isolated VPC and workstation`,
        security: this.security,
        application: this.application,
        operatorRoleNames: this.response ? [this.response.responders.responderRoleName] : [],
      });
      // The operator policy attaches to the responder role by name: the role must exist first.
      if (this.response) this.cleanRoom.addStackDependency(this.response);
    }

    this.alarmOnDeadLetters();

    Tags.of(this).add('Application', settings.appName);
    Tags.of(this).add('Environment', settings.name);
    for (const [key, value] of Object.entries(settings.tags)) Tags.of(this).add(key, value);
  }

  /**
   * An alarm on every dead-letter queue, to the findings topic: in the queue's own stack when it
   * deploys after the Detection stack, else in the Detection stack (which may reference the tiers before it).
   */
  private alarmOnDeadLetters(): void {
    const topic = this.detection.routing.topic;
    for (const stack of [this.security, this.network, this.data, this.detection, this.image]) {
      if (!stack) continue;
      new DeadLetterAlarms(this.detection, stack === this.detection ? 'DeadLetterAlarms' : `${stack.node.id}DeadLetterAlarms`, { topic }).watchAll(stack);
    }
    for (const stack of [this.application, this.response, this.analytics, this.cleanRoom]) if (stack) new DeadLetterAlarms(stack, 'DeadLetterAlarms', { topic }).watchAll(stack);
  }
}
