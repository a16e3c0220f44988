import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  mockImmutableReleasesApi,
  release,
  responseError,
} from '../../__testUtils__/fixtures';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import {
  ImmutableReleasePicker,
  RELEASE_PICKER_PAGE_SIZE,
} from './ImmutableReleasePicker';
import {
  ImmutableReleasePickerProps,
  ImmutableReleasePickerUiOptions,
} from './schema';

type FormData = Record<string, string | undefined>;

/**
 * The picker as the scaffolder form renders it: its own value in `formData`, the whole
 * form's data in `formContext.formData`. The buttons play the user changing another field.
 */
function Form(props: {
  initial: FormData;
  uiOptions?: ImmutableReleasePickerUiOptions;
  onFormChange: (formData: FormData) => void;
}) {
  const [formData, setFormData] = useState<FormData>(props.initial);
  const update = (changes: FormData) => {
    const next = { ...formData, ...changes };
    setFormData(next);
    props.onFormChange(next);
  };
  const fieldProps = {
    name: 'version',
    formData: formData.version,
    onChange: (version: string | undefined) => update({ version }),
    formContext: { formData },
    schema: {
      type: 'string',
      title: 'Release version',
      description: 'The release to promote',
    },
    uiSchema: {
      'ui:field': 'ImmutableReleasePicker',
      ...(props.uiOptions && { 'ui:options': props.uiOptions }),
    },
    idSchema: { $id: 'root_version' },
    rawErrors: [],
    required: true,
    disabled: false,
    readonly: false,
    onBlur: () => {},
    onFocus: () => {},
  } as unknown as ImmutableReleasePickerProps;
  return (
    <>
      {['ledger', 'checkout'].map(name => (
        <button
          key={name}
          onClick={() => update({ entityRef: `component:default/${name}` })}
        >
          choose {name}
        </button>
      ))}
      <ImmutableReleasePicker {...fieldProps} />
    </>
  );
}

async function renderForm(
  api: ReturnType<typeof mockImmutableReleasesApi>,
  initial: FormData,
  uiOptions?: ImmutableReleasePickerUiOptions,
) {
  const onFormChange = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[immutableReleasesApiRef, api]]}>
      <Form
        initial={initial}
        uiOptions={uiOptions}
        onFormChange={onFormChange}
      />
    </TestApiProvider>,
  );
  return { onFormChange };
}

async function openOptions() {
  await userEvent.click(
    screen.getByRole('textbox', { name: /Release version/ }),
  );
  return screen.findByRole('listbox');
}

describe('ImmutableReleasePicker', () => {
  it('offers the releases of the chosen entity and sets the chosen version', async () => {
    const api = mockImmutableReleasesApi();
    api.listReleases.mockResolvedValue({
      items: [
        release({ version: '2.0.0', createdAt: '2024-05-03T10:00:00.000Z' }),
        release({
          version: '1.9.0',
          createdAt: '2024-05-02T10:00:00.000Z',
          revocation: {
            reason: 'CVE-2024-1',
            revokedAt: '2024-05-02T12:00:00.000Z',
            revokedBy: 'user:default/alice',
          },
        }),
        release({ version: '1.8.0', createdAt: '2024-05-01T10:00:00.000Z' }),
      ],
      nextCursor: null,
    });
    const { onFormChange } = await renderForm(api, {
      entityRef: 'component:default/shop',
    });

    expect(screen.getByText('The release to promote')).toBeInTheDocument();
    const listbox = await openOptions();
    const options = within(listbox).getAllByRole('option');
    expect(options.map(option => option.textContent)).toEqual([
      expect.stringMatching(/^2\.0\.0 created .*\(2024-05-03\)$/),
      expect.stringMatching(
        /^1\.9\.0 created .*\(2024-05-02\) revoked: CVE-2024-1$/,
      ),
      expect.stringMatching(/^1\.8\.0 created .*\(2024-05-01\)$/),
    ]);
    expect(options[1]).toHaveAttribute('aria-disabled', 'true');
    expect(api.listReleases).toHaveBeenCalledWith('component:default/shop', {
      limit: RELEASE_PICKER_PAGE_SIZE,
      cursor: undefined,
    });

    await userEvent.click(options[2]);
    expect(onFormChange).toHaveBeenLastCalledWith({
      entityRef: 'component:default/shop',
      version: '1.8.0',
    });
    expect(
      screen.getByRole('textbox', { name: /Release version/ }),
    ).toHaveValue('1.8.0');
  });

  it('reads the entity from the field named by ui:options.entityRefField', async () => {
    const api = mockImmutableReleasesApi();
    api.listReleases.mockResolvedValue({
      items: [release({ version: '3.1.0' })],
      nextCursor: null,
    });
    const { onFormChange } = await renderForm(
      api,
      { service: 'checkout', version: '1.0.0' },
      { entityRefField: 'service' },
    );

    // the short ref is read as the scaffolder actions read it
    await waitFor(() =>
      expect(api.listReleases).toHaveBeenCalledWith(
        'component:default/checkout',
        expect.anything(),
      ),
    );
    expect(
      screen.getByRole('textbox', { name: /Release version/ }),
    ).toHaveValue('1.0.0');

    await userEvent.click(
      screen.getByRole('button', { name: 'choose ledger' }),
    );
    // entityRef is not the field this picker reads: nothing changes
    expect(onFormChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ version: '1.0.0' }),
    );
  });

  it('is disabled until an entity is chosen, and forgets the version when the entity changes', async () => {
    const api = mockImmutableReleasesApi();
    api.listReleases.mockResolvedValue({
      items: [release({ version: '2.6.0' }), release({ version: '2.5.0' })],
      nextCursor: null,
    });
    const { onFormChange } = await renderForm(api, {});

    const input = screen.getByRole('textbox', { name: /Release version/ });
    expect(input).toBeDisabled();
    expect(screen.getByText('Choose the entity first')).toBeInTheDocument();
    expect(api.listReleases).not.toHaveBeenCalled();

    await userEvent.click(
      screen.getByRole('button', { name: 'choose ledger' }),
    );
    await waitFor(() => expect(input).toBeEnabled());
    expect(api.listReleases).toHaveBeenCalledWith(
      'component:default/ledger',
      expect.anything(),
    );
    const listbox = await openOptions();
    await userEvent.click(
      within(listbox).getByRole('option', { name: /^2\.5\.0/ }),
    );
    expect(onFormChange).toHaveBeenLastCalledWith({
      entityRef: 'component:default/ledger',
      version: '2.5.0',
    });

    await userEvent.click(
      screen.getByRole('button', { name: 'choose checkout' }),
    );
    await waitFor(() =>
      expect(onFormChange).toHaveBeenLastCalledWith({
        entityRef: 'component:default/checkout',
        version: undefined,
      }),
    );
    expect(input).toHaveValue('');
    expect(api.listReleases).toHaveBeenLastCalledWith(
      'component:default/checkout',
      expect.anything(),
    );
  });

  it('loads older releases page by page', async () => {
    const api = mockImmutableReleasesApi();
    api.listReleases.mockImplementation(async (_ref, options) =>
      options?.cursor === 'older'
        ? { items: [release({ version: '1.0.0' })], nextCursor: null }
        : { items: [release({ version: '2.0.0' })], nextCursor: 'older' },
    );
    await renderForm(api, { entityRef: 'component:default/shop' });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Load older releases' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Load older releases' }),
      ).not.toBeInTheDocument(),
    );
    expect(api.listReleases).toHaveBeenLastCalledWith(
      'component:default/shop',
      { limit: RELEASE_PICKER_PAGE_SIZE, cursor: 'older' },
    );
    const listbox = await openOptions();
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(option => option.textContent?.slice(0, 5)),
    ).toEqual(['2.0.0', '1.0.0']);
  });

  it('says why the releases could not be loaded', async () => {
    const api = mockImmutableReleasesApi();
    api.listReleases.mockRejectedValue(
      responseError(
        403,
        'NotAllowedError',
        'immutable-releases.release.read is not allowed',
      ),
    );
    await renderForm(api, { entityRef: 'component:default/shop' });

    expect(
      await screen.findByText(
        'Could not load the releases of component:default/shop: immutable-releases.release.read is not allowed',
      ),
    ).toBeInTheDocument();
  });
});
