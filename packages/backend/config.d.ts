export interface Config {
  /** Settings of the demo backend's permission policy (src/permissionPolicy.ts). */
  immutableReleasesDemo?: {
    /**
     * The group whose members may approve or reject deployments and override
     * freeze windows. Default `group:default/release-managers`.
     */
    approverGroup?: string;
  };
  auth?: {
    providers?: {
      /**
       * DEMO ONLY: the provider that signs in as the User entity named by the
       * `x-demo-user` header (src/demoAuthProvider.ts), without any proof.
       */
      demo?: {
        /**
         * Must be true for the provider to exist. Anyone who can reach the
         * backend can then sign in as any user of the catalog.
         */
        dangerouslyAllowSignInAsAnyUser?: boolean;
      };
    };
  };
}
