import { applyInSegments, runsOf, segmentsOf, type Segment, type SegmentRule } from './segments.js';

/** Upper case is hot; a letter repeated within a run starts a new one. */
const rule: SegmentRule<string> = {
  isHot: (e) => e === e.toUpperCase(),
  startsNewRun: (e, run) => run.includes(e),
};
const shape = (segments: Segment<string>[]) => segments.map((s) => (s.kind === 'hot' ? s.events.join('') : `(${s.event})`));

describe('segmentsOf', () => {
  it('given only hot events, makes one run', () => {
    expect(shape(segmentsOf(['A', 'B', 'C'], rule))).toEqual(['ABC']);
  });

  it('given a cold event between hot ones, cuts the run before and after it', () => {
    expect(shape(segmentsOf(['A', 'B', 'x', 'C', 'y', 'z', 'D'], rule))).toEqual(['AB', '(x)', 'C', '(y)', '(z)', 'D']);
  });

  it('given a hot event that conflicts with the run so far, starts a new run at it', () => {
    expect(shape(segmentsOf(['A', 'B', 'A', 'C', 'B'], rule))).toEqual(['AB', 'ACB']);
  });

  it('given no startsNewRun, never cuts between hot events', () => {
    expect(shape(segmentsOf(['A', 'A', 'A'], { isHot: rule.isHot }))).toEqual(['AAA']);
  });

  it('given no events, makes no segments', () => {
    expect(segmentsOf([], rule)).toEqual([]);
  });

  it('keeps every event once and in log order', () => {
    const log = [...'ABxCDyAzzBBq'];
    const flat = segmentsOf(log, rule).flatMap((s) => (s.kind === 'hot' ? s.events : [s.event]));
    expect(flat).toEqual(log);
  });
});

describe('applyInSegments', () => {
  it('writes each segment after the previous one has finished', async () => {
    const written: string[] = [];
    const later = () => new Promise((resolve) => setTimeout(resolve, 1));
    await applyInSegments(['A', 'B', 'x', 'C'], rule, {
      hot: async (events) => { await later(); written.push(events.join('')); },
      single: async (event) => { written.push(`(${event})`); },
    });
    expect(written).toEqual(['AB', '(x)', 'C']);
  });
});

describe('runsOf', () => {
  it('makes one run of the named types in any mix, and cuts at every other type', () => {
    const events = ['A', 'B', 'A', 'C', 'B'].map((type, i) => ({ type, i }));
    expect(segmentsOf(events, runsOf('A', 'B'))).toEqual([
      { kind: 'hot', events: [events[0], events[1], events[2]] },
      { kind: 'single', event: events[3] },
      { kind: 'hot', events: [events[4]] },
    ]);
  });
});
