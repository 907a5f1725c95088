import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarScrollWrapper,
  SidebarSpace,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  NavContentBlueprint,
  NavContentComponentProps,
} from '@backstage/plugin-app-react';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';
import { SidebarSearchModal } from '@backstage/plugin-search';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';
import LocalHospitalIcon from '@material-ui/icons/LocalHospital';
import MenuIcon from '@material-ui/icons/Menu';
import SearchIcon from '@material-ui/icons/Search';
import { portalTranslationRef } from '../translations';
import { SidebarLogo } from './SidebarLogo';

/** The hospital-tenants dashboard: every tenant the user may see, with its cost. */
const TENANT_LIST_PATH = '/hospital-tenants';

function PortalSidebar({ navItems }: NavContentComponentProps) {
  const { t } = useTranslationRef(portalTranslationRef);
  const nav = navItems.withComponent(item => (
    <SidebarItem icon={() => item.icon} to={item.href} text={item.title} />
  ));

  // The search page is reached through the search modal instead.
  nav.take('page:search');
  // The dashboard is the "Hospital tenants" item below: one item.
  nav.take('page:hospital-tenants');
  // Notifications: the item below, with the unread count and live toasts.
  nav.take('page:notifications');

  return (
    <Sidebar>
      <SidebarLogo />
      <SidebarGroup label={t('nav.search')} icon={<SearchIcon />} to="/search">
        <SidebarSearchModal />
      </SidebarGroup>
      <SidebarDivider />
      <SidebarGroup label={t('nav.menu')} icon={<MenuIcon />}>
        {nav.take('page:catalog')}
        <SidebarItem
          icon={LocalHospitalIcon}
          to={TENANT_LIST_PATH}
          text={t('nav.hospitalTenants')}
        />
        {nav.take('page:scaffolder')}
        <SidebarDivider />
        <SidebarScrollWrapper>
          {nav.rest({ sortBy: 'title' })}
        </SidebarScrollWrapper>
      </SidebarGroup>
      <SidebarSpace />
      <SidebarDivider />
      <SidebarGroup
        label={t('nav.settings')}
        icon={<UserSettingsSignInAvatar />}
        to="/settings"
      >
        <NotificationsSidebarItem />
        {nav.take('page:user-settings')}
      </SidebarGroup>
    </Sidebar>
  );
}

export const SidebarContent = NavContentBlueprint.make({
  params: { component: PortalSidebar },
});
