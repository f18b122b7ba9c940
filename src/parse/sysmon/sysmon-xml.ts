import { SaxesParser } from 'saxes';

/** The `<System>` part of a Sysmon record: who wrote it, when, which event. */
export interface SysmonSystem {
  readonly eventId: number;
  readonly providerName?: string;
  readonly version?: string;
  /** `TimeCreated/@SystemTime`: when Sysmon wrote the record (ISO 8601 with nanoseconds, `Z`) */
  readonly timeCreated?: string;
  readonly recordId?: string;
  readonly channel?: string;
  readonly computer?: string;
  /** `Execution/@ProcessID`: the Sysmon daemon itself */
  readonly processId?: string;
}

export interface SysmonRecord {
  readonly system: SysmonSystem;
  /** `<EventData><Data Name="…">value</Data>…`, in order; a name given twice keeps its first value */
  readonly data: ReadonlyMap<string, string>;
}

/** Bounds on one record, far above what Sysmon writes (the largest, EventID 1, has 24 fields). */
const MAX_ELEMENTS = 256;
const MAX_DEPTH = 4;

/**
 * Decodes one Sysmon for Linux record, `<Event><System>…</System><EventData>…</EventData></Event>`, as
 * Sysmon writes it with pugixml. A strict, non-validating XML parser (saxes) reads it: a DOCTYPE is refused
 * (so no entity can be declared, nothing external is ever fetched), entities beyond the five predefined ones
 * and character references are errors, and the element count and depth are bounded. Returns the reason when
 * the text is not such a record.
 */
export function decodeSysmonXml(xml: string): SysmonRecord | string {
  const system: Record<string, string> = {};
  const data = new Map<string, string>();
  const path: string[] = [];
  let elements = 0;
  let problem: string | undefined;
  let dataName: string | undefined;
  let text = '';
  const fail = (why: string): void => {
    problem ??= why;
  };

  const parser = new SaxesParser({ xmlns: false, position: false });
  parser.on('error', (e) => fail(`Sysmon XML: ${e.message}`));
  parser.on('doctype', () => fail('Sysmon XML: a DOCTYPE is not allowed'));
  parser.on('opentag', (tag) => {
    elements++;
    if (elements > MAX_ELEMENTS) fail(`Sysmon XML: more than ${MAX_ELEMENTS} elements`);
    path.push(tag.name);
    if (path.length > MAX_DEPTH) fail(`Sysmon XML: elements nested deeper than ${MAX_DEPTH}`);
    if (path.length === 1 && tag.name !== 'Event')
      fail(`Sysmon XML: root element is <${tag.name}>, not <Event>`);
    text = '';
    const where = path.join('/');
    const attr = (name: string): string | undefined => tag.attributes[name];
    if (where === 'Event/System/Provider') set(system, 'providerName', attr('Name'));
    else if (where === 'Event/System/TimeCreated') set(system, 'timeCreated', attr('SystemTime'));
    else if (where === 'Event/System/Execution') set(system, 'processId', attr('ProcessID'));
    else if (where === 'Event/EventData/Data') dataName = attr('Name');
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('closetag', () => {
    const where = path.join('/');
    if (where === 'Event/System/EventID') set(system, 'eventId', text);
    else if (where === 'Event/System/Version') set(system, 'version', text);
    else if (where === 'Event/System/EventRecordID') set(system, 'recordId', text);
    else if (where === 'Event/System/Channel') set(system, 'channel', text);
    else if (where === 'Event/System/Computer') set(system, 'computer', text);
    else if (where === 'Event/EventData/Data' && dataName !== undefined && !data.has(dataName))
      data.set(dataName, text);
    path.pop();
    text = '';
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    fail(`Sysmon XML: ${(e as Error).message}`);
  }
  if (problem !== undefined) return problem;
  const eventId = system['eventId'];
  if (eventId === undefined || !/^\d{1,5}$/.test(eventId.trim()))
    return 'Sysmon XML: no numeric <EventID> in <System>';
  return {
    system: {
      eventId: Number(eventId.trim()),
      ...pick(
        system,
        'providerName',
        'version',
        'timeCreated',
        'recordId',
        'channel',
        'computer',
        'processId',
      ),
    },
    data,
  };
}

function set(o: Record<string, string>, key: string, value: string | undefined): void {
  if (value !== undefined && o[key] === undefined) o[key] = value;
}

function pick(o: Record<string, string>, ...keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
