import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  Backoff,
  cellIndexOf,
  cellSeverities,
  countsText,
  describeLocation,
  groupBySeverity,
  PanelModel,
  PanelState,
  severityCounts
} from '../src/model';
import { IFinding, Severity } from '../src/tokens';

function finding(
  severity: Severity,
  rule: string,
  cell: number | null = null,
  cellId: string | null = null
): IFinding {
  return {
    check: 'pii',
    subject: 'nb.ipynb',
    seq: 1,
    rule,
    severity,
    title: rule.toLowerCase(),
    detail: '',
    remediation: '',
    location: cell === null ? {} : { cell },
    cell,
    cell_id: cellId
  };
}

const FINDINGS = [
  finding('high', 'SECRET-AWS', 2),
  finding('critical', 'MODEL-PICKLE-EXEC', null, 'c-scan'),
  finding('high', 'PII-EMAIL', 0),
  finding('low', 'PII-PHONE', 7)
];

describe('grouping and counts', () => {
  it('groups most severe first and leaves out empty severities', () => {
    const groups = groupBySeverity(FINDINGS);
    assert.deepEqual(
      groups.map(g => [g.severity, g.findings.map(f => f.rule)]),
      [
        ['critical', ['MODEL-PICKLE-EXEC']],
        ['high', ['SECRET-AWS', 'PII-EMAIL']],
        ['low', ['PII-PHONE']]
      ]
    );
  });

  it('counts every severity, zeros included', () => {
    const counts = severityCounts(FINDINGS);
    assert.deepEqual(counts, { critical: 1, high: 2, medium: 0, low: 1, info: 0 });
    assert.equal(countsText(counts), '1 critical, 2 high, 1 low');
    assert.equal(countsText(severityCounts([])), 'no findings');
  });
});

describe('cells', () => {
  const ids = ['c-md', 'c-load', 'c-key', 'c-scan'];

  it('prefers the location index, then the id of the cell that ran the check', () => {
    assert.equal(cellIndexOf(FINDINGS[0], ids), 2);
    assert.equal(cellIndexOf(FINDINGS[1], ids), 3);
    assert.equal(cellIndexOf(FINDINGS[2], ids), 0);
  });

  it('gives null for an index past the end or an unknown id', () => {
    assert.equal(cellIndexOf(FINDINGS[3], ids), null);
    assert.equal(cellIndexOf(finding('low', 'X', null, 'gone'), ids), null);
    assert.equal(cellIndexOf(finding('low', 'X'), ids), null);
  });

  it('marks each cell with its most severe finding', () => {
    const marks = cellSeverities(
      [...FINDINGS, finding('critical', 'SECRET-KEY', 2), finding('info', 'I', 2)],
      ids
    );
    assert.deepEqual([...marks.entries()].sort(), [
      [0, 'high'],
      [2, 'critical'],
      [3, 'critical']
    ]);
  });

  it('describes locations like the Python side', () => {
    const f = finding('high', 'X', 3);
    f.location = { cell: 3, line: 2 };
    assert.equal(describeLocation(f), 'cell 3, line 2');
    f.location = { file: 'evil.bin', member: 'a/data.pkl', offset: 28 };
    assert.equal(describeLocation(f), 'evil.bin!a/data.pkl@28');
  });
});

describe('Backoff', () => {
  it('doubles while nothing changes, caps at max, resets on change', () => {
    const backoff = new Backoff(1000, 5000);
    assert.deepEqual(
      [false, false, false, false].map(c => backoff.next(c)),
      [2000, 4000, 5000, 5000]
    );
    assert.equal(backoff.next(true), 1000);
    backoff.next(false);
    backoff.reset();
    assert.equal(backoff.delay, 1000);
  });
});

describe('PanelModel', () => {
  it('notifies subscribers of state, busy flags and notices until unsubscribed', () => {
    const model = new PanelModel();
    const seen: string[] = [];
    const off = model.subscribe((state: PanelState) => seen.push(state.kind));
    assert.equal(model.state.kind, 'no-notebook');
    model.setState({ kind: 'loading', path: 'a.ipynb' });
    model.setBusy('scan', true);
    assert.equal(model.scanning, true);
    model.setNotice('Scan: no findings');
    assert.equal(model.notice, 'Scan: no findings');
    off();
    model.setState({ kind: 'no-notebook' });
    assert.deepEqual(seen, ['loading', 'loading', 'loading']);
  });
});
