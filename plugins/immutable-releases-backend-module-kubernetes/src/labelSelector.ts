import { LabelSelector } from './kubernetesTypes';

/**
 * A workload's `spec.selector` in the `labelSelector` query syntax of list
 * requests (`app=checkout,tier in (web,api),!canary`). Empty when it selects
 * nothing in particular, which callers must not take as "every pod".
 */
export function labelSelectorQuery(
  selector: LabelSelector | undefined,
): string {
  const requirements = Object.entries(selector?.matchLabels ?? {}).map(
    ([key, value]) => `${key}=${value}`,
  );
  for (const { key, operator, values = [] } of selector?.matchExpressions ??
    []) {
    switch (operator) {
      case 'In':
        requirements.push(`${key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        requirements.push(`${key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        requirements.push(key);
        break;
      default:
        requirements.push(`!${key}`);
    }
  }
  return requirements.join(',');
}
