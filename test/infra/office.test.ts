import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp, DEFAULT_REGION, STACK_NAME } from '../../infra/app-builder.ts';
import { FUNCTION_KEYS } from '../../infra/registry/functions.ts';
import { loadOffice, officeEnvironment, OFFICE_ENV_MAX_BYTES } from '../../infra/office-config.ts';
import { officeSettings } from '../../functions/commons/office.ts';
import { parseOfficeSettings, transferContentFor } from '../../functions/core/office.ts';

const SECOND = 'test/fixtures/offices/second-province.json';
const sample = JSON.parse(readFileSync('config/offices/sample.json', 'utf8')) as Record<string, unknown>;

/** The sample's file with one change, written where `-c office=PATH` can find it. */
function variant(change: (o: Record<string, any>) => void): string {
  const o = structuredClone(sample) as Record<string, any>;
  change(o);
  const file = join(mkdtempSync(join(tmpdir(), 'office-')), 'office.json');
  writeFileSync(file, JSON.stringify(o));
  return file;
}

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> };
function synth(office?: string): Template {
  const { app } = buildApp({ bundling: false, outdir: mkdtempSync(join(tmpdir(), 'office-synth-')), env: { region: DEFAULT_REGION }, ...(office ? { office } : {}) });
  return app.synth().getStackByName(STACK_NAME).template as Template;
}
const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const senderConditions = (t: Template) => ofType(t, 'AWS::IAM::Policy')
  .flatMap(([, r]) => (r.Properties!.PolicyDocument.Statement as { Condition?: { StringEquals?: Record<string, string[]> } }[]))
  .flatMap((s) => s.Condition?.StringEquals?.['ses:FromAddress'] ?? []);

describe('office settings (config/offices/<office>.json)', () => {
  it('loads the sample office by default, and fills the transfer-content rule with the unit code and the month', () => {
    const office = loadOffice();
    expect(office.id).toBe('sample');
    expect(transferContentFor(office, 'TD000006', '2026-11')).toBe('BHXH TD000006 nop tien T11/2026');
    expect(transferContentFor(loadOffice(SECOND), 'TD000006', '2027-01')).toBe('TD000006 BHXH T01 2027');
  });

  it('fails on a bad value, naming the file and the field', () => {
    const cases: [(o: Record<string, any>) => void, RegExp][] = [
      [(o) => { o.bankAccounts[1].accountNumber = '1130-0004'; }, /office\.json\): bankAccounts\.1\.accountNumber: must be 6–20 digits/],
      [(o) => { o.bankAccounts = []; }, /bankAccounts: must list at least one account/],
      [(o) => { o.transferContent = 'BHXH nop tien T{mm}/{yyyy}'; }, /transferContent: must contain \{unitCode\}/],
      [(o) => { o.transferContent = 'BHXH {unitCode} nộp tiền {month}'; }, /transferContent: names unknown field\(s\) \{month\}[\s\S]*transferContent: must be unaccented/],
      [(o) => { o.transferContent = `{unitCode} ${'x'.repeat(130)}`; }, /transferContent: must fill to at most 140 characters/],
      [(o) => { o.email.reminders = 'nhac@other.example.vn'; }, /email\.reminders: must be an address of the office's domain bhxh\.example\.vn/],
      [(o) => { o.email.notices = 'not an address'; }, /email\.notices: must be an email address/],
      [(o) => { o.sms.senderId = 'BẢO HIỂM'; }, /sms\.senderId: must be 3–11 letters or digits/],
      [(o) => { o.website = 'http://bhxh.example.vn'; }, /website: must be an https:\/\/ address/],
      [(o) => { o.phone = 'call us'; }, /phone: must be a phone number/],
      [(o) => { delete o.name.en; }, /name\.en: /],
      [(o) => { o.email.sendr = 'x@bhxh.example.vn'; }, /email\.sendr: is not a setting \(misspelled\?\)/],
    ];
    for (const [change, message] of cases) expect(() => loadOffice(variant(change)), String(message)).toThrow(message);
    expect(() => loadOffice('no-such-office')).toThrow(/No office settings at config\/offices\/no-such-office\.json/);
    expect(() => loadOffice('Bad Name')).toThrow(/is not a name in config\/offices\//);
    const notJson = join(mkdtempSync(join(tmpdir(), 'office-')), 'broken.json');
    writeFileSync(notJson, '{ "id": "broken", ');
    expect(() => loadOffice(notJson)).toThrow(/broken\.json are not JSON/);
  });

  it('is read by a function from OFFICE_SETTINGS and validated there too, naming the field', () => {
    const { OFFICE_SETTINGS } = officeEnvironment(loadOffice(SECOND));
    expect(officeSettings({ OFFICE_SETTINGS }).id).toBe('second-province');
    const bad = JSON.stringify({ ...JSON.parse(OFFICE_SETTINGS), hotline: 'none' });
    expect(() => officeSettings({ OFFICE_SETTINGS: bad })).toThrow(/Invalid office settings \(OFFICE_SETTINGS\): hotline: must be 4–12 digits/);
    expect(() => officeSettings({})).toThrow(/OFFICE_SETTINGS is not set/);
    expect(() => officeSettings({ OFFICE_SETTINGS: '{' })).toThrow(/OFFICE_SETTINGS is not JSON/);
  });

  it('fits in a function\'s environment, or fails synth saying why', () => {
    expect(Buffer.byteLength(officeEnvironment(loadOffice()).OFFICE_SETTINGS)).toBeLessThan(OFFICE_ENV_MAX_BYTES);
    const long = parseOfficeSettings({ ...sample, bankAccounts: Array.from({ length: 4 }, () => ({ bank: 'B'.repeat(120), accountNumber: '1'.repeat(20), accountName: 'N'.repeat(120) })), address: 'A'.repeat(200) }, 'test');
    const huge = { ...long, name: { vi: 'V'.repeat(120), en: 'E'.repeat(120) }, parentAgency: { vi: 'P'.repeat(120), en: 'Q'.repeat(120) }, signatory: { title: { vi: 'T'.repeat(80), en: 'T'.repeat(80) }, name: 'N'.repeat(80) } };
    expect(() => officeEnvironment({ ...huge, bankAccounts: [...huge.bankAccounts, ...huge.bankAccounts] })).toThrow(/at most 2500 fit in a function's environment/);
  });

  it('several provinces deploy the same code, each with its own file: a second office synthesizes with its own senders, domain, settings and alarm email', () => {
    const first = synth();
    const second = synth(SECOND);
    const other = loadOffice(SECOND);
    // The same resources in both (the second's alarm email adds its subscription): only what the office's file says differs.
    const resources = (t: Template) => Object.entries(t.Resources).filter(([, r]) => !(r.Type === 'AWS::SNS::Subscription' && r.Properties!.Protocol === 'email')).map(([id]) => id).sort();
    expect(resources(second)).toEqual(resources(first));
    expect(ofType(second, 'AWS::SES::EmailIdentity').map(([, r]) => r.Properties!.EmailIdentity)).toEqual(['bhxh-hue.example.vn']);
    expect(ofType(first, 'AWS::SES::EmailIdentity').map(([, r]) => r.Properties!.EmailIdentity)).toEqual(['bhxh.example.vn']);
    expect(new Set(senderConditions(second))).toEqual(new Set([other.email.notices, other.email.reminders]));
    expect(new Set(senderConditions(first))).toEqual(new Set([loadOffice().email.notices, loadOffice().email.reminders]));
    // Every function gets the office's settings, validated, as one variable; nothing else of a function changes.
    const functions = (t: Template) => ofType(t, 'AWS::Lambda::Function').filter(([id]) => FUNCTION_KEYS.some((k) => id.startsWith(`${k}Function`)));
    expect(functions(second)).toHaveLength(FUNCTION_KEYS.length);
    for (const [id, fn] of functions(second)) {
      const vars = fn.Properties!.Environment.Variables as Record<string, unknown>;
      expect(JSON.parse(vars.OFFICE_SETTINGS as string), id).toEqual(other);
      const { OFFICE_SETTINGS: _a, ...rest } = vars;
      const { OFFICE_SETTINGS: _b, ...same } = first.Resources[id]!.Properties!.Environment.Variables as Record<string, unknown>;
      expect(rest, id).toEqual(same);
      expect(fn.Properties!.Code, id).toEqual(first.Resources[id]!.Properties!.Code);
    }
    // The office's alarm email gets the alarms (the context `alarmEmail` would override it).
    const subscriptions = (t: Template) => ofType(t, 'AWS::SNS::Subscription').filter(([, r]) => r.Properties!.Protocol === 'email').map(([, r]) => r.Properties!.Endpoint);
    expect(subscriptions(second)).toEqual(['vanhanh@bhxh-hue.example.vn']);
    expect(subscriptions(first)).toEqual([]);
  });

  it('a bad office file fails synth, naming the field', () => {
    expect(() => synth(variant((o) => { o.bankAccounts[0].bank = ''; }))).toThrow(/bankAccounts\.0\.bank: is required/);
  });
});
