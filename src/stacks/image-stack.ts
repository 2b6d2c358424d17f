import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { InstanceType } from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { EnvironmentSettings } from '../config';
import { HardenedImagePipeline } from '../constructs/compute/image-pipeline';
import type { NetworkStack } from './network-stack';
import type { SecurityStack } from './security-stack';

export interface ImageStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  readonly security: SecurityStack;
  readonly network: NetworkStack;
}

/**
 * The fleet's hardened image: an Image Builder pipeline in the app subnets,
 * publishing the AMI id to the parameter the fleet's launch template reads.
 * Deployed before the Application stack, which resolves that parameter.
 */
export class ImageStack extends Stack {
  readonly pipeline: HardenedImagePipeline;

  constructor(scope: Construct, id: string, props: ImageStackProps) {
    super(scope, id, props);
    const { settings, security, network } = props;
    const app = settings.application;
    const instanceType = new InstanceType(app.instanceType);
    this.pipeline = new HardenedImagePipeline(this, 'HardenedImage', {
      name: `${settings.appName}-${settings.name}`,
      parameterName: fleetImageParameterName(settings),
      architecture: instanceType.architecture,
      // The fleet's own type: the same architecture, and the build sees the hardware the image will run on.
      instanceType: app.instanceType,
      hardening: app.image.hardening,
      schedule: app.image.buildSchedule,
      vpc: network.workloadVpc.vpc,
      subnets: network.workloadVpc.subnets('app'),
      logsKey: security.keys.logs,
      logRetentionDays: settings.network.flowLogs.retentionDays,
    });
    new CfnOutput(this, 'PipelineArn', {
      description: 'Start the first build after the first deployment: aws imagebuilder start-image-pipeline-execution --image-pipeline-arn <this>',
      value: this.pipeline.pipeline.attrArn,
    });
  }
}

/** The SSM parameter holding the fleet's AMI id (hardened image mode). */
export function fleetImageParameterName(settings: EnvironmentSettings): string {
  return `/${settings.appName}/${settings.name}/fleet/image-id`;
}
