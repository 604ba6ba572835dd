import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { FIXTURES_DIR } from '../../test-support/helpers.js';
import { fhirDate, mapHookRequest } from './fhir-to-check.js';
import { findNationalCoding, nationalCodeType } from './national-code.js';

const NOW = new Date('2025-06-10T09:00:00');

t.test('national code shapes', async (t) => {
  t.equal(nationalCodeType('XL02BBA326A001010102180'), '101');
  t.equal(nationalCodeType('ZA04CAE0023010100166'), '101');
  t.equal(nationalCodeType('001102000050000'), '201');
  t.equal(nationalCodeType('C01010101000000000000000000'), '301');
  t.equal(nationalCodeType('617993'), undefined, 'an RxNorm code is not national');
});

t.test('a coding is national by its system, else by its shape outside international terminologies', async (t) => {
  t.equal(findNationalCoding([{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '617993' }]), undefined);
  t.equal(findNationalCoding([{ system: 'http://snomed.info/sct', code: '439021000124105' }]), undefined, 'a 15-digit SNOMED code is not a service item');
  t.equal(findNationalCoding([{ system: 'http://example.org/local', code: '001102000050000' }])?.coding.code, '001102000050000');
  t.equal(findNationalCoding([{ system: 'https://www.nhsa.gov.cn/hilist', code: 'LOCAL-1' }])?.coding.code, 'LOCAL-1', 'the system says so');
  const found = findNationalCoding([
    { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1' },
    { code: 'XL02BBA326A001010102180', display: '阿帕他胺片' },
  ]);
  t.equal(found?.hilistType, '101');
});

t.test('fhirDate keeps the clock time as written and refuses partial dates', async (t) => {
  t.equal(fhirDate('2018-04-30T13:25:40.845-04:00'), '2018-04-30 13:25:40');
  t.equal(fhirDate('2005-01-04'), '2005-01-04');
  t.equal(fhirDate('2005-01-04T08:30'), '2005-01-04 08:30:00');
  t.equal(fhirDate('2005'), undefined);
  t.equal(fhirDate(7), undefined);
});

t.test('the HL7 examples map without error; their RxNorm-coded orders are skipped', async (t) => {
  const dir = path.join(FIXTURES_DIR, 'cds-hooks');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  t.equal(files.length, 6);
  for (const f of files) {
    const body = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const mapped = mapHookRequest(body, f.startsWith('order-sign') ? 'order-sign' : 'order-select', NOW);
    t.equal(mapped.mapped, 0, f);
    t.equal(mapped.skipped, 2, f);
    t.equal(mapped.data.patient_dtos[0].patn_id, body.context.patientId, f);
  }
});

t.test('MedicationRequest and ServiceRequest with national codes become orders', async (t) => {
  const body = {
    hookInstance: 'h-1',
    context: {
      userId: 'Practitioner/DR7',
      patientId: 'P1',
      encounterId: 'E1',
      selections: ['MedicationRequest/m1'],
      draftOrders: {
        resourceType: 'Bundle',
        entry: [
          {
            resource: {
              resourceType: 'MedicationRequest',
              id: 'm1',
              authoredOn: '2025-06-10T08:00:00+08:00',
              medicationCodeableConcept: { coding: [{ system: 'https://www.nhsa.gov.cn/hilist', code: 'XL02BBA326A001010102180', display: '阿帕他胺片' }] },
              dispenseRequest: { quantity: { value: 2 } },
            },
          },
          {
            resource: {
              resourceType: 'ServiceRequest',
              id: 's1',
              occurrenceDateTime: '2025-06-10T09:00:00+08:00',
              code: { coding: [{ code: '001102000050000', display: '住院诊查费' }] },
              quantityQuantity: { value: 1 },
            },
          },
        ],
      },
    },
    prefetch: {
      patient: { resourceType: 'Patient', id: 'P1', gender: 'female', birthDate: '1980-03-15' },
      encounter: { resourceType: 'Encounter', id: 'E1', class: { code: 'IMP' }, period: { start: '2025-06-09' } },
    },
  };
  const m = mapHookRequest(body, 'order-select', NOW);
  t.equal(m.mapped, 2);
  const p = m.data.patient_dtos[0];
  t.equal(p.gend, '2');
  t.equal(p.brdy, '1980-03-15');
  const e = p.fsi_encounter_dtos![0];
  t.equal(e.mdtrt_id, 'E1');
  t.equal(e.med_mdtrt_type, '2');
  t.equal(e.adm_date, '2025-06-09');
  const [med, svc] = e.fsi_order_dtos!;
  t.match(med, { rx_id: 'm1', hilist_code: 'XL02BBA326A001010102180', hilist_type: '101', cnt: 2, drord_begn_date: '2025-06-10 08:00:00', curr_drord_flag: '1', drord_dr_codg: 'DR7' });
  t.match(svc, { rx_id: 's1', hilist_code: '001102000050000', hilist_type: '201', curr_drord_flag: '0' }, 'order-select: unselected drafts are context');
  t.equal(m.references.get('m1'), 'MedicationRequest/m1');
  t.equal(mapHookRequest(body, 'order-sign', NOW).data.patient_dtos[0].fsi_encounter_dtos![0].fsi_order_dtos![1].curr_drord_flag, '1', 'order-sign: every draft is current');
});
