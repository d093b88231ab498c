import { getOption } from '@bufbuild/protobuf';
import { topic as topicOption } from './generated/personae/v1/envelope_pb';
import { TOPIC_SCHEMAS, TOPICS } from './topics';
import { deserializeEvent, newEvent, serializeEvent, eventCase } from './event-envelope';
import { uuidv7, isUuid } from './uuid-v7';

describe('topic map', () => {
  it('names every topic exactly as its proto message option does', () => {
    for (const topic of TOPICS) {
      expect(getOption(TOPIC_SCHEMAS[topic], topicOption)).toBe(topic);
    }
  });

  it('covers every topic of the architecture', () => {
    expect(TOPICS).toEqual(
      expect.arrayContaining([
        'training.session',
        'training.conversation',
        'training.tools',
        'training.annotations',
        'training.attachments',
        'synthesis.drafts',
        'persona.lifecycle',
        'governance.decisions',
        'runtime.executions',
        'runtime.swaps',
      ]),
    );
  });
});

describe('event envelope', () => {
  const started = () =>
    newEvent({
      topic: 'training.session',
      key: 'session-1',
      tenantId: 'acme',
      actor: { kind: 'trainer', id: 'trainer-7' },
      sessionId: 'session-1',
      payload: {
        event: {
          case: 'started',
          value: { sessionId: 'session-1', trainerId: 'trainer-7', mode: 'TRAINING' },
        },
      },
    });

  it('derives the type from the payload case and round-trips through the wire format', () => {
    const event = started();
    expect(event.type).toBe('training.session.started');
    expect(isUuid(event.id)).toBe(true);
    const back = deserializeEvent(serializeEvent(event));
    expect(back.id).toBe(event.id);
    expect(eventCase(back)).toBe('started');
    expect(back.payload.event.case === 'started' && back.payload.event.value.trainerId).toBe('trainer-7');
  });

  it('rejects payload fields the contract does not know', () => {
    const wire = JSON.parse(serializeEvent(started()));
    wire.payload.started.surprise = 1;
    expect(() => deserializeEvent(JSON.stringify(wire))).toThrow(/payload/);
  });

  it('rejects a type that disagrees with the payload', () => {
    const wire = JSON.parse(serializeEvent(started()));
    wire.type = 'training.session.closed';
    expect(() => deserializeEvent(JSON.stringify(wire))).toThrow(/does not match/);
  });

  it('rejects unknown topics, missing tenants and non-JSON', () => {
    const wire = JSON.parse(serializeEvent(started()));
    expect(() => deserializeEvent(JSON.stringify({ ...wire, topic: 'nope' }))).toThrow(/unknown topic/);
    expect(() => deserializeEvent(JSON.stringify({ ...wire, tenantId: '' }))).toThrow(/tenantId/);
    expect(() => deserializeEvent('{')).toThrow(/not JSON/);
  });

  it('makes time-ordered UUIDv7 ids', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(a < b).toBe(true);
    expect(a[14]).toBe('7');
  });
});
