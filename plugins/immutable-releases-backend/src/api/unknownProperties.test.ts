import {
  nameUnknownProperties,
  withNamedUnknownProperties,
} from './unknownProperties';

describe('withNamedUnknownProperties', () => {
  it('replaces every additionalProperties: false, at any depth, and nothing else', () => {
    const document = {
      schemas: {
        Release: {
          type: 'object',
          properties: {
            artifact: { type: 'object', additionalProperties: false },
            labels: {
              type: 'object',
              additionalProperties: { type: 'string' },
            },
          },
          additionalProperties: false,
        },
      },
    };

    expect(withNamedUnknownProperties(document)).toEqual({
      schemas: {
        Release: {
          type: 'object',
          properties: {
            artifact: { type: 'object', additionalProperties: { not: {} } },
            labels: {
              type: 'object',
              additionalProperties: { type: 'string' },
            },
          },
          additionalProperties: { not: {} },
        },
      },
    });
    expect(document.schemas.Release.additionalProperties).toBe(false);
  });
});

describe('nameUnknownProperties', () => {
  it('says that each failing property is unknown', () => {
    expect(
      nameUnknownProperties(
        'request/body/colour must NOT be valid, request/body/artifact/tag must NOT be valid',
      ),
    ).toBe(
      'request/body/colour is not a known property, request/body/artifact/tag is not a known property',
    );
    expect(nameUnknownProperties('request/body/version must be string')).toBe(
      'request/body/version must be string',
    );
  });
});
