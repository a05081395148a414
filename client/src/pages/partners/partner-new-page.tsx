/**
 * "Add New Partner" (/partners/new): a full page with the partner form. Saving creates the partnership and starts the
 * invitation (the server decides its kind); the user then lands on the partner's page, which says what happens next:
 * an organisation already in the system approves the invitation, a new one registers from the email sent to its
 * contact person.
 */
import { Match, Switch } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { useMutation } from '@tanstack/solid-query';
import { t } from '../../i18n';
import { queryClient, trpc, type RouterInputs } from '../../trpc';
import { leaveSaved } from '../../ui/leave-guard';
import { PageHeader, usePageTitle } from '../../ui/page';
import { Loading, QueryErrorState } from '../../ui/states';
import { emptyPartnerValues, PartnerForm, settingsInput, type PartnerFormValues } from './partner-form';
import { PartnersAccess } from './partners-access';
import { leaveNotice, PARTNERS_QUERY_KEY, useFormOptions } from './partners-data';

export function PartnerNewPage() {
  const title = () => t('partners.new.title');
  return (
    <PartnersAccess title={title}>
      <AddPartner title={title} />
    </PartnersAccess>
  );
}

function AddPartner(props: { title: () => string }) {
  usePageTitle(props.title);
  const navigate = useNavigate();
  const options = useFormOptions();

  const create = useMutation(() => ({
    mutationFn: (values: PartnerFormValues) => trpc.partners.create.mutate({
      // One of formOptions.countries (the select offers nothing else); the server validates it anyway.
      country: values.country as RouterInputs['partners']['create']['country'],
      taxNumber: values.taxNumber,
      companyName: values.companyName,
      registrationNumber: values.registrationNumber,
      address: values.address,
      ...settingsInput(values),
    }),
    onSuccess: async (result, values) => {
      await queryClient.invalidateQueries({ queryKey: PARTNERS_QUERY_KEY });
      const email = values.contactEmail.trim().toLowerCase();
      leaveNotice(result.partnershipId,
        result.status === 'pending_approval' ? 'partners.notice.pendingApproval' : 'partners.notice.pendingRegistration',
        { email });
      leaveSaved(() => navigate(`/partners/${result.partnershipId}`));
    },
  }));

  return (
    <section aria-labelledby="page-title" class="partner-form-page">
      <PageHeader title={props.title()} />
      <Switch>
        <Match when={options.isPending}>
          <Loading />
        </Match>
        <Match when={options.isError && !options.data}>
          <QueryErrorState message={t('partners.form.loadError')} query={options} />
        </Match>
        <Match when={options.data}>
          {(opts) => (
            <PartnerForm mode="create" options={opts()} initial={emptyPartnerValues(opts())} companyEditable
              pending={create.isPending} error={create.error} onSubmit={(values) => create.mutate(values)}
              cancelHref="/partners" />
          )}
        </Match>
      </Switch>
    </section>
  );
}
