import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  acceptedFindings,
  Backoff,
  cellIndexOf,
  cellSeverities,
  choiceLabel,
  countsText,
  describeLocation,
  exportForm,
  filterFindings,
  groupBySeverity,
  groupFindings,
  IExportForm,
  isFiltering,
  matchesQuery,
  NO_FILTER,
  openFindings,
  PanelModel,
  PanelState,
  severityCounts,
  skippedNote,
  timelineCellIndex
} from '../src/model';
import { IFinding, IOverview, ITimelineEntry, Severity } from '../src/tokens';

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
    cell_id: cellId,
    accepted: null
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
    f.location = { file: 'dir/nb.ipynb', cell: 2, line: 1 };
    assert.equal(describeLocation(f, 'dir/nb.ipynb'), 'cell 2, line 1');
    assert.equal(describeLocation(f, 'other.ipynb'), 'dir/nb.ipynb, cell 2, line 1');
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

describe('filter and search', () => {
  const findings = [
    ...FINDINGS,
    { ...finding('medium', 'LEAK-PREPROC-BEFORE-SPLIT', 5), check: 'leakage', title: 'Scaler fitted before the split' }
  ];
  findings[0].location = { file: 'data/keys.txt', line: 3 };

  it('matches every word, case-insensitive, in rule, title, check and place', () => {
    assert.equal(matchesQuery(findings[0], 'secret'), true);
    assert.equal(matchesQuery(findings[0], 'aws KEYS.txt'), true);
    assert.equal(matchesQuery(findings[0], 'aws email'), false);
    assert.equal(matchesQuery(findings[4], 'leakage split'), true);
    assert.equal(matchesQuery(findings[4], '   '), true);
  });

  it('keeps the chosen severities and the matching findings, in order', () => {
    const high = filterFindings(findings, { query: '', severities: new Set<Severity>(['high']) });
    assert.deepEqual(
      high.map(f => f.rule),
      ['SECRET-AWS', 'PII-EMAIL']
    );
    const both = filterFindings(findings, { query: 'pii-', severities: new Set<Severity>(['high', 'low']) });
    assert.deepEqual(
      both.map(f => f.rule),
      ['PII-EMAIL', 'PII-PHONE']
    );
    assert.equal(filterFindings(findings, NO_FILTER).length, findings.length);
    assert.equal(isFiltering(NO_FILTER), false);
    assert.equal(isFiltering({ query: 'x', severities: new Set() }), true);
  });
});

describe('grouping', () => {
  const many = [
    finding('low', 'PII-PHONE', 1),
    finding('medium', 'PII-EMAIL', 2),
    finding('medium', 'PII-EMAIL', 3),
    finding('critical', 'SECRET-AWS', 4),
    { ...finding('high', 'LEAK-X', 5), check: 'leakage' }
  ];

  it('groups by rule: most severe group first, then the larger, with counts', () => {
    assert.deepEqual(
      groupFindings(many, 'rule').map(g => [g.key, g.severity, g.findings.length]),
      [
        ['SECRET-AWS', 'critical', 1],
        ['LEAK-X', 'high', 1],
        ['PII-EMAIL', 'medium', 2],
        ['PII-PHONE', 'low', 1]
      ]
    );
  });

  it('groups by check with the worst severity of each', () => {
    assert.deepEqual(
      groupFindings(many, 'check').map(g => [g.key, g.severity, g.findings.length]),
      [
        ['pii', 'critical', 4],
        ['leakage', 'high', 1]
      ]
    );
  });

  it('keeps accepted findings apart from open ones and off the cell markers', () => {
    const accepted = { ...finding('critical', 'SECRET-KEY', 2), accepted: 'test key' };
    const all = [...FINDINGS, accepted];
    assert.deepEqual(
      acceptedFindings(all).map(f => f.rule),
      ['SECRET-KEY']
    );
    assert.equal(openFindings(all).length, FINDINGS.length);
    const marks = cellSeverities(all, ['a', 'b', 'c', 'c-scan']);
    assert.equal(marks.get(2), 'high');
  });
});

function entry(cellId: string | null): ITimelineEntry {
  return { seq: 1, kind: 'cell', time: 't', cell_id: cellId, execution_count: 1, label: 'x = 1' };
}

describe('timeline', () => {
  it('finds the cell an entry ran in, or null', () => {
    const ids = ['c-md', 'c-load', 'c-key'];
    assert.equal(timelineCellIndex(entry('c-key'), ids), 2);
    assert.equal(timelineCellIndex(entry('gone'), ids), null);
    assert.equal(timelineCellIndex(entry(null), ids), null);
  });
});

function overview(models: IOverview['models'], cardModel: string | null): IOverview {
  return { models, card_model: cardModel } as unknown as IOverview;
}

describe('export form', () => {
  const clf = { name: 'clf', class: 'sklearn.linear_model.LogisticRegression', carded: true, seq: 9 };
  const tree = { name: 'tree', class: null, carded: false, seq: 4 };

  it('preselects the carded model, asks when none was carded, offers the session without models', () => {
    assert.equal(exportForm(overview([clf, tree], 'clf')).model, 'clf');
    assert.equal(exportForm(overview([tree], null)).model, null);
    assert.equal(exportForm(overview([tree], 'gone')).model, null);
    assert.equal(exportForm(overview([], null)).model, '');
    assert.equal(choiceLabel(clf), 'clf (LogisticRegression)');
    assert.equal(choiceLabel(tree), 'tree');
  });

  it('lives in the model: opened for a loaded log, changed, closed when the log goes', () => {
    const model = new PanelModel();
    const form = (): IExportForm | null => model.export; // read anew each time
    model.openExport();
    assert.equal(form(), null); // nothing loaded yet
    model.setState({ kind: 'ready', path: 'a.ipynb', overview: overview([tree], null) });
    model.openExport();
    assert.deepEqual(form(), { model: null, format: 'md', choices: [tree] });
    model.updateExport({ model: 'tree', format: 'html' });
    assert.deepEqual([form()?.model, form()?.format], ['tree', 'html']);
    model.setState({ kind: 'loading', path: 'b.ipynb' });
    assert.equal(form(), null);
  });
});

describe('PanelModel view state', () => {
  it('keeps the filter and the grouping, and says when they change', () => {
    const model = new PanelModel();
    let emitted = 0;
    model.subscribe(() => (emitted += 1));
    model.setQuery('aws');
    model.setQuery('aws'); // unchanged: no render
    model.toggleSeverity('high');
    model.toggleSeverity('critical');
    model.toggleSeverity('high');
    assert.deepEqual([...model.filter.severities], ['critical']);
    assert.equal(model.filter.query, 'aws');
    model.setGroupBy('rule');
    assert.equal(model.groupBy, 'rule');
    model.clearFilter();
    assert.equal(isFiltering(model.filter), false);
    assert.equal(emitted, 6);
  });
});

describe('skipped records', () => {
  const base = { skipped: [], warning: null } as unknown as IOverview;

  it('says nothing when the server left nothing out, or is an older server without the field', () => {
    assert.equal(skippedNote(base), null);
    assert.equal(skippedNote({} as IOverview), null);
  });

  it("shows the server's own line naming the records left out", () => {
    const skipped = [{ seq: 4, kind: 'check', problem: 'report is a list' }];
    const line = 'skipped 1 malformed lineage record(s) (...): seq 4 (report is a list, not an object)';
    assert.equal(skippedNote({ ...base, skipped, warning: line }), line);
    assert.equal(skippedNote({ ...base, skipped }), 'malformed lineage records skipped');
  });
});
