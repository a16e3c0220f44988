import { ReactNode } from 'react';
import { Button, ButtonProps, Tooltip } from '@material-ui/core';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import { usePermission } from '@backstage/plugin-permission-react';

/**
 * A button for an action guarded by a permission on the entity: disabled, with a tooltip
 * saying why, when the user may not take it.
 */
export function PermittedButton(
  props: ButtonProps & {
    permission: ResourcePermission;
    entityRef: string;
    /** What the user may not do, e.g. "promote releases of this entity". */
    deniedAction: string;
    children: ReactNode;
  },
) {
  const { permission, entityRef, deniedAction, disabled, ...buttonProps } =
    props;
  const { loading, allowed } = usePermission({
    permission,
    resourceRef: entityRef,
  });
  if (!loading && !allowed) {
    return (
      <Tooltip
        title={`You are not allowed to ${deniedAction} (${permission.name}).`}
      >
        {/* a disabled button fires no events; the span carries the tooltip */}
        <span>
          <Button {...buttonProps} disabled />
        </span>
      </Tooltip>
    );
  }
  return <Button {...buttonProps} disabled={disabled || loading} />;
}
