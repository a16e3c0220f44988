import { applicationNameOf } from './applicationName';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'argocd/app-name': 'Shop_Checkout' },
  },
};

describe('applicationNameOf', () => {
  it('fills the template from the entity and the environment', () => {
    expect(
      applicationNameOf(
        '{{ entity.metadata.name }}-{{ environment }}',
        entity,
        'production',
      ),
    ).toBe('checkout-production');
  });

  it('refuses a value the entity lacks, and a name Argo CD cannot have', () => {
    expect(() =>
      applicationNameOf(
        "{{ entity.metadata.labels['team'] }}",
        entity,
        'production',
      ),
    ).toThrow(
      "the Argo CD application cannot be named from the entity; caused by UrlTemplateError: entity component:default/checkout has no label 'team'",
    );
    expect(() =>
      applicationNameOf(
        "{{ entity.metadata.annotations['argocd/app-name'] }}",
        entity,
        'production',
      ),
    ).toThrow(
      'gives "Shop_Checkout", which is not an Argo CD application name',
    );
  });
});
