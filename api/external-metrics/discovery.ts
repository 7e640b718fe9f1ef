/**
 * Discovery documents of `external.metrics.k8s.io/v1beta1`, exactly as the kube-aggregator
 * and client-go read them (`/apis/external.metrics.k8s.io` an APIGroup, `/v1beta1` an APIResourceList).
 */
export const GROUP = 'external.metrics.k8s.io';
export const VERSION = 'v1beta1';
export const GROUP_VERSION = `${GROUP}/${VERSION}`;

const groupVersion = { groupVersion: GROUP_VERSION, version: VERSION };

export const API_GROUP = { kind: 'APIGroup', apiVersion: 'v1', name: GROUP, versions: [groupVersion], preferredVersion: groupVersion };

export const API_GROUP_LIST = {
  kind: 'APIGroupList',
  apiVersion: 'v1',
  groups: [{ name: GROUP, versions: [groupVersion], preferredVersion: groupVersion }],
};

/** The placeholder resource custom-metrics-apiserver lists; an empty list breaks client-go discovery (§7.1). */
export const PLACEHOLDER_RESOURCE = 'externalmetrics';

/** One resource per served metric, never none. */
export function apiResourceList(metricNames: readonly string[]): object {
  const names = metricNames.length > 0 ? metricNames : [PLACEHOLDER_RESOURCE];
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: GROUP_VERSION,
    resources: names.map((name) => ({ name, singularName: '', namespaced: true, kind: 'ExternalMetricValueList', verbs: ['get'] })),
  };
}

/** Minimal OpenAPI documents, so the aggregator's OpenAPI controllers do not log errors (§1.6). */
export const OPENAPI_V2 = { swagger: '2.0', info: { title: 'prescale external metrics', version: VERSION }, paths: {} };
export const OPENAPI_V3_PATH = `/openapi/v3/apis/${GROUP_VERSION}`;
export const OPENAPI_V3 = { openapi: '3.0.0', info: { title: 'prescale external metrics', version: VERSION }, paths: {} };
export const OPENAPI_V3_INDEX = { paths: { [`apis/${GROUP_VERSION}`]: { serverRelativeURL: `${OPENAPI_V3_PATH}?hash=prescale-v1` } } };
