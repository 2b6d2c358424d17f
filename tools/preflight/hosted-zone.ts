import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { isError } from './aws-errors';
import type { Check } from './types';

const withoutDot = (name: string) => name.replace(/\.$/, '');

/** A public certificate is validated through DNS in the named hosted zone: the zone must exist, be public, carry that name and contain the domain. */
export const hostedZone: Check = async ({ clients, config }) => {
  const cert = config.application.certificate;
  if (cert.kind !== 'public') return [];
  const check = 'hosted-zone';
  let zone;
  try {
    zone = (await clients.route53.send(new GetHostedZoneCommand({ Id: cert.hostedZoneId }))).HostedZone;
  } catch (error) {
    if (!isError(error, 'NoSuchHostedZone')) throw error;
  }
  if (!zone) return [{ status: 'FAIL', check, detail: `hosted zone ${cert.hostedZoneId} does not exist in this account`, remedy: 'set application.certificate.hostedZoneId to the public zone of the domain (aws route53 list-hosted-zones-by-name)' }];
  const name = withoutDot(zone.Name ?? '');
  if (name !== withoutDot(cert.hostedZoneName)) {
    return [{ status: 'FAIL', check, detail: `hosted zone ${cert.hostedZoneId} is ${name}, the config says ${cert.hostedZoneName}`, remedy: `set application.certificate.hostedZoneName: ${name}, or the id of ${cert.hostedZoneName}` }];
  }
  if (zone.Config?.PrivateZone) return [{ status: 'FAIL', check, detail: `hosted zone ${name} is private; ACM validates through public DNS`, remedy: 'name the public zone of the domain' }];
  const domain = cert.domainName.replace(/^\*\./, '');
  if (domain !== name && !domain.endsWith(`.${name}`)) {
    return [{ status: 'FAIL', check, detail: `${cert.domainName} is not in zone ${name}`, remedy: 'set application.certificate.domainName to a name in the zone, or name the zone of the domain' }];
  }
  return [{ status: 'PASS', check, detail: `${name} (${cert.hostedZoneId}) holds ${cert.domainName}` }];
};
