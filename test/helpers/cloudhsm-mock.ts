import * as sdk from '@aws-sdk/client-cloudhsm-v2';
import { type AwsCommand, mockClient } from 'aws-sdk-client-mock';

// @aws-sdk/client-cloudhsm-v2 is locked at 3.332.0 (the newest on the registry), whose classes are typed against the
// old @aws-sdk/types; the typings of aws-sdk-client-mock 4 (@smithy/types) reject them although the objects are the
// same at runtime. These identity casts keep the real client and command classes; drop them once the client is upgraded.
const mockable = <I extends object, O>(command: new (input: I) => unknown) => command as unknown as new (input: I) => AwsCommand<I, O>;

/** A mock of the real CloudHSM v2 client, for the handler and runbook tests. */
export const hsmMock = mockClient(sdk.CloudHSMV2Client as unknown as Parameters<typeof mockClient>[0]);
export const CreateClusterCommand = mockable<sdk.CreateClusterCommandInput, sdk.CreateClusterCommandOutput>(sdk.CreateClusterCommand);
export const CreateHsmCommand = mockable<sdk.CreateHsmCommandInput, sdk.CreateHsmCommandOutput>(sdk.CreateHsmCommand);
export const DeleteHsmCommand = mockable<sdk.DeleteHsmCommandInput, sdk.DeleteHsmCommandOutput>(sdk.DeleteHsmCommand);
export const DeleteClusterCommand = mockable<sdk.DeleteClusterCommandInput, sdk.DeleteClusterCommandOutput>(sdk.DeleteClusterCommand);
export const DescribeClustersCommand = mockable<sdk.DescribeClustersCommandInput, sdk.DescribeClustersCommandOutput>(sdk.DescribeClustersCommand);
export const ModifyClusterCommand = mockable<sdk.ModifyClusterCommandInput, sdk.ModifyClusterCommandOutput>(sdk.ModifyClusterCommand);
export const TagResourceCommand = mockable<sdk.TagResourceCommandInput, sdk.TagResourceCommandOutput>(sdk.TagResourceCommand);
export const UntagResourceCommand = mockable<sdk.UntagResourceCommandInput, sdk.UntagResourceCommandOutput>(sdk.UntagResourceCommand);
export const InitializeClusterCommand = mockable<sdk.InitializeClusterCommandInput, sdk.InitializeClusterCommandOutput>(sdk.InitializeClusterCommand);
