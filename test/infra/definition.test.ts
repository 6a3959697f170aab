import { describe, expect, it } from 'vitest';
import '../../local/embedded/polyfills.ts';
import { StateMachine } from 'aws-local-stepfunctions';
import { escalationDefinition, loadEscalationDefinition, standInFunctionArn, synthesizeTemplate, type CfnTemplate } from '../../infra/definition.ts';
import { STATE, TASK_STATE_FUNCTION } from '../../workflows/state-names.ts';

type AslState = { Type: string; Resource?: string; Parameters?: { FunctionName?: string }; [k: string]: unknown };
const asl = loadEscalationDefinition();
const states = asl.States as Record<string, AslState>;
const STAND_IN_ARN = /^arn:aws:lambda:ap-southeast-1:000000000000:function:([A-Za-z0-9]+)$/;

describe('the escalation definition cdk synth produces, as plain ASL', () => {
  it('has every named state, and no state without a name of STATE', () => {
    expect(asl.StartAt).toBe(STATE.assessCase);
    expect(Object.keys(states).sort()).toEqual(Object.values(STATE).sort());
  });

  it('resolves every intrinsic: each Task names the stand-in ARN of the function TASK_STATE_FUNCTION says', () => {
    const text = JSON.stringify(asl);
    expect(text).not.toMatch(/Fn::|"Ref"|\$\{Token/);
    const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(Object.keys(TASK_STATE_FUNCTION).sort());
    const template = synthesizeTemplate();
    for (const [name, state] of tasks) {
      // A plain invoke names the function as its Resource (payloadResponseOnly); a callback task
      // uses the Step Functions integration and names it in its Parameters.
      const callback = state.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken';
      const logicalId = STAND_IN_ARN.exec((callback ? state.Parameters?.FunctionName : state.Resource) ?? '')?.[1];
      expect(logicalId, `${name} FunctionName`).toBeDefined();
      expect(template.Resources[logicalId!]?.Type).toBe('AWS::Lambda::Function');
      expect(logicalId!.startsWith(`${TASK_STATE_FUNCTION[name]}Function`), `${name} → ${logicalId}`).toBe(true);
    }
  });

  it('is accepted by aws-local-stepfunctions and runs there', async () => {
    const machine = new StateMachine(asl as never, { validationOptions: { checkPaths: false } });
    const execution = machine.run({ unitCode: 'PAID0001', cycle: '2026-11', asOf: '2026-11-02' }, {
      overrides: {
        taskResourceLocalHandlers: {
          [STATE.assessCase]: async () => ({ cleared: true, onHold: false, needsTask: false }),
          [STATE.closeCase]: async () => ({ closed: true }),
        },
      },
    });
    await expect(execution.result).resolves.toMatchObject({ assessment: { cleared: true }, closed: { closed: true } });
  });

  it('fails loudly on anything it cannot resolve', () => {
    const machineWith = (definition: unknown, extra: CfnTemplate['Resources'] = {}): CfnTemplate => ({
      Resources: { ...extra, EscalationMachine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: definition } } },
    });
    const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
    expect(escalationDefinition(machineWith(join('{"Resource":"', { 'Fn::GetAtt': ['Fn1', 'Arn'] }, '","Region":"', { Ref: 'AWS::Region' }, '"}'), { Fn1: { Type: 'AWS::Lambda::Function' } })))
      .toEqual({ Resource: standInFunctionArn('Fn1'), Region: 'ap-southeast-1' });
    expect(() => escalationDefinition(machineWith(join('"', { Ref: 'TableCD117FA1' }, '"')))).toThrow(/Cannot resolve \{"Ref":"TableCD117FA1"\}.*pseudo parameters/);
    expect(() => escalationDefinition(machineWith(join('"', { 'Fn::GetAtt': ['Table', 'Arn'] }, '"'), { Table: { Type: 'AWS::DynamoDB::Table' } })))
      .toThrow(/Table is AWS::DynamoDB::Table, not an AWS::Lambda::Function/);
    expect(() => escalationDefinition(machineWith(join('"', { 'Fn::GetAtt': ['Fn1', 'Version'] }, '"'), { Fn1: { Type: 'AWS::Lambda::Function' } }))).toThrow(/only Fn::GetAtt \[LogicalId, "Arn"\]/);
    expect(() => escalationDefinition(machineWith({ 'Fn::Sub': 'arn:${AWS::Partition}' }))).toThrow(/Fn::Sub is not resolved/);
    expect(() => escalationDefinition({ Resources: {} })).toThrow(/found 0/);
  });
});
