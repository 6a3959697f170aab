import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { CfnConfigurationSet as CfnSmsConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import { Construct } from 'constructs';
import { SMS_EVENT_TYPES } from '../../functions/core/sms-events.ts';

/** The country the reminder SMS go to (participants' numbers are Vietnamese, +84): the sender ID is registered for it. */
export const SMS_COUNTRY = 'VN';
import type { OfficeSettings } from '../../functions/core/office.ts';

export interface MessagingProps {
  /** The office's settings: its sender domain and addresses (config/offices/<office>.json). */
  office: OfficeSettings;
  /** The stack's key: the topics are encrypted with it. */
  key: Key;
}

/**
 * How the deployment speaks to people and hears back: the SES identities of the senders' domains,
 * the configuration set whose bounces and complaints reach an encrypted topic, the End User
 * Messaging SMS configuration set whose events reach another, and the topic the replies to
 * reminder SMS arrive on.
 */
export class Messaging extends Construct {
  /** The notices' senders (urging notices, statements, officers' messages). */
  readonly senders: string[];
  /** The participant reminders' senders. */
  readonly reminderSenders: string[];
  /** The ARNs of the SES identities of every sender's domain. */
  readonly identityArns: string[];
  readonly configurationSet: ConfigurationSet;
  /** The ARN a send through the configuration set is authorised on. */
  readonly configurationSetArn: string;
  readonly emailFeedbackTopic: Topic;
  readonly smsRepliesTopic: Topic;
  /** The reminder SMS's sender IDs (the policy's, and of the versions after it), registered for SMS_COUNTRY. */
  readonly smsSenderIds: string[];
  /** Their ARNs: SendTextMessage is authorised on the origination identity. */
  readonly smsSenderIdArns: string[];
  /** The End User Messaging SMS configuration set every reminder SMS is sent through. */
  readonly smsConfigurationSet: CfnSmsConfigurationSet;
  readonly smsConfigurationSetName: string;
  /** Its events (core/sms-events.ts), for the sms-feedback function. */
  readonly smsEventsTopic: Topic;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const { office, key } = props;
    // The senders are the office's, not the law's: a new policy version changes no address.
    this.senders = [office.email.notices];
    this.reminderSenders = [office.email.reminders];
    // The office's domain is verified (DKIM) once; an address on a subdomain gets that subdomain's identity too.
    const domainOf = (s: string) => s.slice(s.lastIndexOf('@') + 1).toLowerCase();
    const allDomains = [...new Set([office.email.domain, ...this.senders.map(domainOf), ...this.reminderSenders.map(domainOf)])];

    // Bounces and complaints of every email sent from these identities reach the email-feedback
    // function through an encrypted topic; the reminder run skips suppressed addresses.
    this.emailFeedbackTopic = new Topic(this, 'EmailFeedback', { masterKey: key, enforceSSL: true, displayName: 'SES bounces and complaints' });
    this.configurationSet = new ConfigurationSet(this, 'SendingFeedback', {});
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.emailFeedbackTopic),
      // Send, delivery and reject settle the message's claim (evidence: it went out); bounces and complaints suppress.
      events: [EmailSendingEvent.SEND, EmailSendingEvent.DELIVERY, EmailSendingEvent.REJECT, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.configurationSetArn = `arn:${partition}:ses:${region}:${account}:configuration-set/${this.configurationSet.configurationSetName}`;
    // Replies to reminder SMS (two-way SMS of the origination number, configured on the number) arrive here.
    this.smsRepliesTopic = new Topic(this, 'SmsReplies', { masterKey: key, enforceSSL: true, displayName: 'Replies to reminder SMS' });
    this.smsRepliesTopic.addToResourcePolicy(new PolicyStatement({
      actions: ['sns:Publish'],
      principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
      resources: [this.smsRepliesTopic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }));
    // SES and End User Messaging SMS publish to the encrypted topics: they need the key, for this account only.
    key.addToResourcePolicy(new PolicyStatement({
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal('ses.amazonaws.com'), new ServicePrincipal('sms-voice.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }));

    // Reminder SMS: sent through a configuration set whose events (accepted, delivered, blocked...),
    // each carrying the message's claim in its context, reach the sms-feedback function.
    this.smsSenderIds = [office.sms.senderId];
    this.smsSenderIdArns = this.smsSenderIds.map((id) => `arn:${partition}:sms-voice:${region}:${account}:sender-id/${id}/${SMS_COUNTRY}`);
    this.smsEventsTopic = new Topic(this, 'SmsEvents', { masterKey: key, enforceSSL: true, displayName: 'Reminder SMS events' });
    // Named, so the topic's policy can name it without waiting for it (the set's destination is the topic).
    this.smsConfigurationSetName = `${Stack.of(this).stackName.slice(0, 56)}-sms`;
    const smsConfigurationSetArn = `arn:${partition}:sms-voice:${region}:${account}:configuration-set/${this.smsConfigurationSetName}`;
    this.smsEventsTopic.addToResourcePolicy(new PolicyStatement({
      actions: ['sns:Publish'],
      principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
      resources: [this.smsEventsTopic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnEquals: { 'aws:SourceArn': smsConfigurationSetArn } },
    }));
    this.smsConfigurationSet = new CfnSmsConfigurationSet(this, 'SmsConfigurationSet', {
      configurationSetName: this.smsConfigurationSetName,
      eventDestinations: [{
        eventDestinationName: 'ClaimEvidence',
        enabled: true,
        // Exactly the types the evidence table maps, so every event that comes is understood.
        matchingEventTypes: SMS_EVENT_TYPES,
        snsDestination: { topicArn: this.smsEventsTopic.topicArn },
      }],
    });
    // The topic accepts the set's events before the set exists to send them.
    const topicPolicy = this.smsEventsTopic.node.tryFindChild('Policy');
    if (topicPolicy) this.smsConfigurationSet.node.addDependency(topicPolicy);

    this.identityArns = allDomains.map((domain, i) => {
      const identity = new EmailIdentity(this, i === 0 ? 'SenderIdentity' : `SenderIdentity${i}`, { identity: Identity.domain(domain), configurationSet: this.configurationSet });
      return `arn:${partition}:ses:${region}:${account}:identity/${identity.emailIdentityName}`;
    });
  }
}
