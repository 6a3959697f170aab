import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm, ComparisonOperator, Dashboard, GraphWidget, Metric, SearchExpression, Stats, TextWidget, TreatMissingData, type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DIMENSIONS, METRICS, METRICS_NAMESPACE, SERVICE_NAME, type MetricKey } from '../../functions/core/metric-names.ts';
import type { DeploymentConfig } from '../deployment-config.ts';

export interface MonitoringProps {
  /** The stack's customer-managed key: the alarm topic is encrypted with it. */
  key: Key;
  /** Thresholds and the email address (the deployment configuration's `alarms`). */
  alarms: DeploymentConfig['alarms'];
  stateMachine: IStateMachine;
  /** The import of uploaded batches: a failed execution is a file that did not load. */
  importStateMachine: IStateMachine;
  /** Every dead-letter queue of the stack: anything in one is a run that did not happen. */
  deadLetterQueues: Record<string, IQueue>;
  /** The scheduled run functions, by name: an error is a run that failed. */
  runFunctions: Record<string, IFunction>;
  /** Run state machines whose failed or timed-out execution is a run that did not finish (a segment given up, messages past their deadline). */
  runStateMachines?: Record<string, IStateMachine>;
}

/** The reports come once a month and the runs once a day: a day per point. */
const FIGURE_PERIOD = Duration.days(1);
/** Failures are looked at in short windows so the alarm goes off soon after. */
const ALARM_PERIOD = Duration.minutes(5);

const serviceMetric = (key: MetricKey, statistic: string, dimensions: Record<string, string> = {}) =>
  new Metric({
    namespace: METRICS_NAMESPACE, metricName: METRICS[key].name, statistic, period: FIGURE_PERIOD,
    dimensionsMap: { service: SERVICE_NAME, ...dimensions },
  });
/** Every series of a metric by one dimension (districts are data, not known at synth). */
const byDimension = (key: MetricKey, dimension: string, statistic: string) =>
  new SearchExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},service,${dimension}} MetricName="${METRICS[key].name}"', '${statistic}', ${FIGURE_PERIOD.toSeconds()})`,
    label: '',
  });
const sesReputation = (metricName: 'Reputation.BounceRate' | 'Reputation.ComplaintRate') =>
  new Metric({ namespace: 'AWS/SES', metricName, statistic: Stats.MAXIMUM, period: Duration.hours(1) });

/**
 * The operators' view: a dashboard of the collection figures (debt ratio by district, receivable,
 * collected, arrears, units overdue), the runs and reminders, and the health of the machinery;
 * alarms on failed executions, dead letters, run function errors and the SES reputation, all to one
 * encrypted topic.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Alarms', { masterKey: props.key, enforceSSL: true, displayName: 'Arrears follow-up alarms' });
    // CloudWatch publishes the alarms to the encrypted topic: it needs the key for that (AWS's
    // documented key statement), and the topic's policy (which enforceSSL replaces) must let it
    // publish, for this account's alarms only.
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    props.key.grant(cloudwatch, 'kms:Decrypt', 'kms:GenerateDataKey*');
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(new PolicyStatement({
      actions: ['sns:Publish'], principals: [cloudwatch], resources: [this.topic.topicArn],
      conditions: { ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` }, StringEquals: { 'aws:SourceAccount': account } },
    }));
    if (props.alarms.email) this.topic.addSubscription(new EmailSubscription(props.alarms.email));
    const action = new SnsAction(this.topic);

    const alarm = (name: string, metric: IMetric, threshold: number, description: string, comparison = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD) => {
      const a = new Alarm(this, name, {
        metric, threshold, evaluationPeriods: 1, comparisonOperator: comparison, alarmDescription: description,
        // No data is no failure: the runs are monthly or daily, SES reports only while sending.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };

    const failed = props.stateMachine.metricFailed({ period: ALARM_PERIOD, statistic: Stats.SUM });
    alarm('EscalationsFailed', failed, 1, 'An escalation execution failed (RecordFailure put the error on the case): see the execution history.');
    for (const [name, machine] of Object.entries(props.runStateMachines ?? {})) {
      alarm(`${name}Failed`, machine.metricFailed({ period: ALARM_PERIOD, statistic: Stats.SUM }), 1,
        `The ${name} execution failed: a part did not finish after its retries (its run summary names it; run it again for the cycle), or its catch-up found messages still not sent past their deadline (the redrive run record counts them).`);
      // A run whose catch-up waits outlast the machine's timeout ends TIMED_OUT, not FAILED: watched too.
      alarm(`${name}TimedOut`, machine.metricTimedOut({ period: ALARM_PERIOD, statistic: Stats.SUM }), 1,
        `The ${name} execution timed out (its catch-up was still waiting on messages not sent): see the redrive run record and run it again for the cycle.`);
    }
    const deadLetterDepths = Object.entries(props.deadLetterQueues).map(([name, queue]) => {
      const depth = queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: Stats.MAXIMUM });
      alarm(`${name}Depth`, depth, 1, `A message is in the ${name} dead-letter queue: a scheduled run could not be started.`);
      return depth.with({ label: name });
    });
    const functionErrors = Object.entries(props.runFunctions).map(([name, fn]) => {
      const errors = fn.metricErrors({ period: ALARM_PERIOD, statistic: Stats.SUM });
      alarm(`${name}Errors`, errors, 1, `The ${name} function failed: see its log group.`);
      return errors.with({ label: name });
    });
    const importFailed = props.importStateMachine.metricFailed({ period: ALARM_PERIOD, statistic: Stats.SUM });
    alarm('ImportFailed', importFailed, 1, 'An import of an uploaded batch failed (a file could not be read or written after retries): see the execution and the file\'s run record.');
    const importErrors = serviceMetric('importErrors', Stats.SUM).with({ period: ALARM_PERIOD });
    alarm('ImportErrors', importErrors, 1,
      'An imported file had rows refused: see its report, reports/<batch>/<file>.json in the import bucket (file, line, key and reason of each); correct them and upload the file again.');
    alarm('StatementsNotSent', serviceMetric('statementsNotSent', Stats.SUM), 1,
      'A statement will not go out by itself (a record to correct, an address refused, a message given up): see the statement run record.');
    alarm('MessagesPastDeadline', serviceMetric('messagesPastDeadline', Stats.MAXIMUM), 1,
      'A message is still not sent past its deadline (the 10th for notices and statements, the 15th for employees\' notices): the redrive could not deliver it; see the redrive run record.');
    // Employees' notices (issue 14), as the statements: one that will not go out by itself (refused by
    // the provider, a bad record, given up), and one still not sent past its deadline (the 15th).
    alarm('EmployeeNoticesNotSent', serviceMetric('employeeNoticesNotSent', Stats.SUM), 1,
      'An employee\'s notice of their unit\'s arrears, or the unit\'s email that they were told, will not go out by itself (the provider refused the address, a record to correct, a message given up): see the employee notice and redrive run records.');
    alarm('EmployeeNoticesPastDeadline', serviceMetric('employeeNoticesPastDeadline', Stats.MAXIMUM), 1,
      'Employees\' notices are still not sent past their deadline (the 15th): the redrive could not deliver them through the SMS or email provider and does not send them late; see the redrive run record (employeeNoticesPastDeadline).');
    const bounce = sesReputation('Reputation.BounceRate');
    const complaint = sesReputation('Reputation.ComplaintRate');
    alarm('SesBounceRate', bounce, props.alarms.sesBounceRate, 'The SES bounce rate is nearing the level at which AWS reviews the account (5%).', ComparisonOperator.GREATER_THAN_THRESHOLD);
    alarm('SesComplaintRate', complaint, props.alarms.sesComplaintRate, 'The SES complaint rate is nearing the level at which AWS reviews the account (0.1%).', ComparisonOperator.GREATER_THAN_THRESHOLD);

    const graph = (title: string, left: IMetric[], right: IMetric[] = []) => new GraphWidget({ title, left, right, width: 12, height: 6 });
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(400) });
    this.dashboard.addWidgets(new TextWidget({ markdown: '# Arrears follow-up\nCollection figures from the monthly collection report; runs, reminders and the machinery below.', width: 24, height: 2 }));
    this.dashboard.addWidgets(
      graph('Debt ratio (%): office and districts', [serviceMetric('debtRatio', Stats.MAXIMUM), byDimension('debtRatio', DIMENSIONS.district, Stats.MAXIMUM)]),
      graph('Receivable, collected, arrears (VND, office)', [serviceMetric('receivable', Stats.MAXIMUM), serviceMetric('collected', Stats.MAXIMUM), serviceMetric('arrears', Stats.MAXIMUM)]),
    );
    this.dashboard.addWidgets(
      graph('Units by months overdue; evading units', [byDimension('unitsOverdue', DIMENSIONS.band, Stats.MAXIMUM), serviceMetric('evadingUnits', Stats.MAXIMUM)]),
      graph('Officers\' tasks: open and overdue', [serviceMetric('openTasks', Stats.MAXIMUM), serviceMetric('overdueTasks', Stats.MAXIMUM)]),
    );
    this.dashboard.addWidgets(
      graph('Monthly run and statements', [serviceMetric('escalationsStarted', Stats.SUM), serviceMetric('noticesSent', Stats.SUM), serviceMetric('casesClosed', Stats.SUM), serviceMetric('statementsSent', Stats.SUM)], [serviceMetric('malformedRecords', Stats.SUM), serviceMetric('statementsNotSent', Stats.SUM)]),
      graph('Reminders', [
        ...['sms', 'zns', 'email'].map((channel) => serviceMetric('remindersSent', Stats.SUM, { [DIMENSIONS.channel]: channel })),
        serviceMetric('remindersDeferred', Stats.SUM), serviceMetric('agentTasks', Stats.SUM),
      ], [serviceMetric('remindersFailed', Stats.SUM), serviceMetric('remindersSkipped', Stats.SUM), serviceMetric('reminderCyclesUnfinished', Stats.SUM)]),
    );
    this.dashboard.addWidgets(
      graph('Employees told of their unit\'s arrears', [
        serviceMetric('employeeNoticesSentSms', Stats.SUM), serviceMetric('employeeNoticesSentEmail', Stats.SUM),
        serviceMetric('employeeNoticesAlreadySent', Stats.SUM), serviceMetric('unitsInformed', Stats.SUM),
      ], [serviceMetric('employeeNoticesNoChannel', Stats.SUM), serviceMetric('employeeNoticesOptedOut', Stats.SUM)]),
      graph('Employees\' notices not sent: pending, failed, past deadline', [
        serviceMetric('employeeNoticesPending', Stats.MAXIMUM), serviceMetric('employeeNoticesNotSent', Stats.SUM), serviceMetric('employeeNoticesPastDeadline', Stats.MAXIMUM),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Escalations failed; dead letters', [failed], deadLetterDepths),
      graph('Run function errors', functionErrors),
    );
    this.dashboard.addWidgets(
      graph('Import: rows loaded and refused', [serviceMetric('importRowsLoaded', Stats.SUM)], [serviceMetric('importErrors', Stats.SUM)]),
      graph('Import executions failed', [importFailed]),
    );
    this.dashboard.addWidgets(
      graph('Participants: renewal rate (%)', [serviceMetric('renewalRate', Stats.MAXIMUM)]),
      graph('SES reputation (fraction)', [bounce, complaint]),
    );
  }
}
