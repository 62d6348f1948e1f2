import { ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ConfigError } from './config';
import { activeTraceIds, loadTracingConfig, startTracing, tracingEnabled } from './tracing';

describe('tracing in the environment', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT, and then records nothing', () => {
    expect(loadTracingConfig('grid', {}).endpoint).toBeUndefined();
    expect(startTracing('grid', { env: {} })).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(activeTraceIds()).toEqual({});
  });

  it('names spans after the service unless OTEL_SERVICE_NAME says otherwise', () => {
    expect(loadTracingConfig('grid', {}).serviceName).toBe('grid');
    expect(loadTracingConfig('grid', { OTEL_SERVICE_NAME: 'grid-eu-1' }).serviceName).toBe('grid-eu-1');
  });

  it('samples every trace by default, following the caller', () => {
    expect(loadTracingConfig('grid', {}).sampler.toString()).toBe('ParentBased{root=AlwaysOnSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}');
  });

  it('takes a ratio sampler with its ratio', () => {
    const { sampler } = loadTracingConfig('grid', { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' });
    expect(sampler).toBeInstanceOf(ParentBasedSampler);
    expect(sampler.toString()).toContain('TraceIdRatioBased{0.25}');
    expect(loadTracingConfig('grid', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).sampler).toBeInstanceOf(TraceIdRatioBasedSampler);
  });

  it('stops the app naming the variable that is wrong', () => {
    expect(() => loadTracingConfig('grid', { OTEL_EXPORTER_OTLP_ENDPOINT: '127.0.0.1:4318' })).toThrow(ConfigError);
    expect(() => loadTracingConfig('grid', { OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/^OTEL_TRACES_SAMPLER must be one of/);
    expect(() => loadTracingConfig('grid', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/^OTEL_TRACES_SAMPLER_ARG must be a ratio/);
  });
});
