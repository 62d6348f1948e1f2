import { XMLParser } from 'fast-xml-parser';
import { toGeoReportXml } from './georeport-xml';

const parse = (xml: string) => new XMLParser({ parseTagValue: false }).parse(xml);

describe('GeoReport XML', () => {
  it('wraps a list in its plural element with one singular element per item', () => {
    const xml = toGeoReportXml('services', [
      { service_code: 'noise', metadata: true },
      { service_code: 'other', metadata: false },
    ]);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?><services><service>')).toBe(true);
    expect(parse(xml).services.service).toEqual([
      { service_code: 'noise', metadata: 'true' },
      { service_code: 'other', metadata: 'false' },
    ]);
  });

  it('nests the lists of a service definition as attributes/attribute and values/value', () => {
    const xml = toGeoReportXml('service_definition', {
      service_code: 'noise',
      attributes: [{ code: 'urgency', values: [{ key: 'normal', name: 'Normal' }, { key: 'urgent', name: 'Urgent' }] }],
    });
    expect(xml).toContain('<attributes><attribute><code>urgency</code><values><value><key>normal</key>');
  });

  it('escapes text and leaves out fields that are not there', () => {
    const xml = toGeoReportXml('service_requests', [{ service_request_id: '1', description: 'Loud <music> & shouting', address: undefined }]);
    expect(xml).toContain('<description>Loud &lt;music&gt; &amp; shouting</description>');
    expect(xml).not.toContain('<address');
    expect(parse(xml).service_requests.request.description).toBe('Loud <music> & shouting');
  });

  it('writes an empty list as its empty plural element', () => {
    expect(toGeoReportXml('service_requests', [])).toBe('<?xml version="1.0" encoding="utf-8"?><service_requests></service_requests>');
  });

  it('writes the spec errors document', () => {
    expect(toGeoReportXml('errors', [{ code: 403, description: 'Invalid api_key' }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><errors><error><code>403</code><description>Invalid api_key</description></error></errors>',
    );
  });
});
