import { DescribeConfigurationRecordersCommand, DescribeDeliveryChannelsCommand } from '@aws-sdk/client-config-service';
import { creates } from './plan';
import { applies, singletonVerdict } from './singleton';
import type { Check } from './types';

/** One configuration recorder and one delivery channel per account and Region. */
export const configRecorder: Check = async (ctx) => {
  if (!applies(ctx, 'configRecorder')) return [];
  const recorders = (await ctx.clients.config.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders ?? [];
  const channels = (await ctx.clients.config.send(new DescribeDeliveryChannelsCommand({}))).DeliveryChannels ?? [];
  const recorder = recorders[0];
  const channel = channels[0];
  return [
    singletonVerdict(ctx, 'configRecorder', 'config-recorder', recorder && `recorder ${recorder.name}`, creates(ctx.plan, 'AWS::Config::ConfigurationRecorder')),
    singletonVerdict(ctx, 'configDeliveryChannel', 'config-delivery-channel', channel && `channel ${channel.name} to s3://${channel.s3BucketName}`, creates(ctx.plan, 'AWS::Config::DeliveryChannel')),
  ];
};
