import { XMLBuilder } from 'fast-xml-parser';

/** GeoReport v2 wraps each list in a plural element holding one singular element per item. */
const ITEM_OF: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
};

const builder = new XMLBuilder({ format: false, suppressBooleanAttributes: false, suppressEmptyNode: false });

function itemOf(list: string): string {
  const item = ITEM_OF[list];
  if (!item) throw new Error(`No GeoReport element name for the items of ${list}`);
  return item;
}

function shape(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return { [itemOf(name)]: value.map((item) => shape(item, itemOf(name))) };
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .map(([key, field]) => [key, shape(field, key)]),
    );
  }
  return typeof value === 'boolean' ? String(value) : value;
}

/** The XML document of a GeoReport answer: `root` is `services`, `service_requests`, `service_definition`, ... */
export function toGeoReportXml(root: string, body: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build({ [root]: shape(body, root) })}`;
}
