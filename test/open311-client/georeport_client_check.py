"""Talks to the Open311 endpoint with the `georeport` client from PyPI, as a civic-reporting app would.

Usage: georeport_client_check.py ROOT_ADDRESS JURISDICTION API_KEY ADDRESS_ID
Prints one JSON line: the outcome of each step and how many passed; exits non-zero unless all passed.
georeport 0.3.1 has no method to file a request, so that step posts the spec's form with `requests`, the HTTP
library georeport itself uses, with the client's own root address, jurisdiction and api_key.
"""
import json
import sys

import requests
from georeport import GeoReport


def list_services(client):
    services = client.get_service_list()
    codes = [service['service_code'] for service in services]
    assert 'noise' in codes, codes
    return f'{len(codes)} services'


def service_definition(client):
    definition = client.get_service_definition('noise')
    attributes = definition['attributes']
    if isinstance(attributes, dict):  # XML: <attributes><attribute>…</attribute></attributes>
        attributes = attributes['attribute']
    codes = [attribute['code'] for attribute in attributes]
    assert definition['service_code'] == 'noise' and 'urgency' in codes, definition
    return f'attributes {codes}'


def post_request(client, address_id):
    response = requests.post(
        f'{client.root_address}/requests.{client.output_format}',
        data={
            'jurisdiction_id': client.jurisdiction,
            'api_key': client.api_key,
            'service_code': 'noise',
            'description': f'Loud music after midnight ({client.output_format})',
            'address_id': address_id,
            'address_string': 'Courtyard behind building 1',
            'lat': '31.2304',
            'long': '121.4737',
            'attribute[urgency]': 'urgent',
            'email': 'someone@example.org',
        },
    )
    response.raise_for_status()
    if client.output_format == 'json':
        created = response.json()[0]
    else:
        import xmltodict

        created = xmltodict.parse(response.content)['service_requests']['request']
    assert created['service_request_id'], created
    return created['service_request_id']


def read_back(client, request_id):
    one = client.get_service_request(request_id)
    assert one['service_request_id'] == request_id, one
    assert one['status'] == 'open', one
    assert one['address'] == 'Courtyard behind building 1', one
    assert float(one['lat']) == 31.2304 and float(one['long']) == 121.4737, one
    listed = client.get_service_requests(service_request_id=request_id)
    if isinstance(listed, dict):  # XML with one <request>
        listed = [listed]
    assert [r['service_request_id'] for r in listed] == [request_id], listed
    recent = client.get_service_requests(service_code='noise', status='open')
    if isinstance(recent, dict):
        recent = [recent]
    assert request_id in [r['service_request_id'] for r in recent], recent
    return f"status {one['status']}, requested {one['requested_datetime']}"


def main():
    root, jurisdiction, api_key, address_id = sys.argv[1:5]
    steps = []

    def step(name, run):
        try:
            steps.append({'step': name, 'ok': True, 'detail': run()})
        except Exception as error:  # a failed step is reported, and the next ones still run
            steps.append({'step': name, 'ok': False, 'detail': f'{type(error).__name__}: {error}'})
            return None
        return steps[-1]['detail']

    for output_format in ('json', 'xml'):
        client = GeoReport(root, jurisdiction=jurisdiction, api_key=api_key, output_format=output_format)
        step(f'{output_format}: list services', lambda: list_services(client))
        step(f'{output_format}: get a service definition', lambda: service_definition(client))
        created = {}
        step(f'{output_format}: post a request with an api_key', lambda: created.setdefault('id', post_request(client, address_id)))
        step(f'{output_format}: read the request back', lambda: read_back(client, created['id']))

    passed = sum(1 for s in steps if s['ok'])
    print(json.dumps({'passed': passed, 'total': len(steps), 'steps': steps}))
    sys.exit(0 if passed == len(steps) else 1)


if __name__ == '__main__':
    main()
