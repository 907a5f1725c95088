import { PageBlueprint } from '@backstage/frontend-plugin-api';

/**
 * The executive cost dashboard at `/hospital-tenants` (lazy).
 *
 * @public
 */
export const hospitalTenantsCostDashboardPage = PageBlueprint.make({
  params: {
    path: '/hospital-tenants',
    title: 'Hospital tenants',
    loader: () =>
      import('../components/CostDashboardPage/CostDashboardPage').then(m => (
        <m.CostDashboardPage />
      )),
  },
});
