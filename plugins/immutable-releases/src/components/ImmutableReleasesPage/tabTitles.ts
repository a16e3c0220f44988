/** The titles of the portal page's two tabs, the same in both frontend systems. */
export const PORTAL_TAB_TITLES = {
  approvals: 'Waiting for my approval',
  fleet: 'Fleet',
} as const;
