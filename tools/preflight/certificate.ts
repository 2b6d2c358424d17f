import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { describeError, isError, parseArn } from './aws-errors';
import type { Check } from './types';

/** Days of validity an imported certificate must have left: AWS Config and the expiry alarm warn from 30 days. */
export const MINIMUM_VALID_DAYS = 30;

/**
 * An imported certificate: issued, in the environment's Region and account
 * (a load balancer uses only certificates of its own Region), and not about
 * to expire. Public and private certificates are requested by the stacks.
 */
export const certificate: Check = async ({ clients, settings, config, now }) => {
  const cert = config.application.certificate;
  if (cert.kind !== 'imported') return [];
  const check = 'certificate';
  const arn = parseArn(cert.certificateArn)!;
  if (arn.region !== settings.region || arn.account !== settings.account) {
    return [
      {
        status: 'FAIL',
        check,
        detail: `${cert.certificateArn} is in ${arn.account} ${arn.region}; the load balancer needs one in ${settings.account} ${settings.region}`,
        remedy: `import the certificate into ACM in ${settings.region} of ${settings.account} and set application.certificate.certificateArn to it`,
      },
    ];
  }
  let detail;
  try {
    detail = (await clients.acm.send(new DescribeCertificateCommand({ CertificateArn: cert.certificateArn }))).Certificate;
  } catch (error) {
    if (!isError(error, 'ResourceNotFoundException')) throw error;
    return [{ status: 'FAIL', check, detail: `${cert.certificateArn} does not exist (${describeError(error)})`, remedy: 'import the certificate into ACM (aws acm import-certificate) and set application.certificate.certificateArn' }];
  }
  if (detail?.Status !== 'ISSUED') {
    return [{ status: 'FAIL', check, detail: `${cert.certificateArn} is ${detail?.Status ?? 'in an unknown state'}, not ISSUED`, remedy: 'import a valid certificate and set application.certificate.certificateArn' }];
  }
  const days = detail.NotAfter ? Math.floor((detail.NotAfter.getTime() - now.getTime()) / 86_400_000) : undefined;
  if (days !== undefined && days < MINIMUM_VALID_DAYS) {
    return [
      {
        status: days < 0 ? 'FAIL' : 'WARN',
        check,
        detail: days < 0 ? `${cert.certificateArn} expired ${-days} days ago` : `${cert.certificateArn} expires in ${days} days`,
        remedy: 're-import a renewed certificate into the same ARN (aws acm import-certificate --certificate-arn)',
      },
    ];
  }
  return [{ status: 'PASS', check, detail: `${detail.DomainName} ISSUED, valid for ${days ?? '?'} more days` }];
};
