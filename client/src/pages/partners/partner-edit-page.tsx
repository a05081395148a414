/**
 * "Edit partner" (/partners/:id/edit): the Add form, prefilled from partners.get. Country and tax number identify the
 * company and stay fixed; company name, registration number and address are editable only while the partner has no
 * users of its own (afterwards the partner manages them). The server audits every change; past bookings keep the
 * settings they were made under.
 */
import { Match, Switch } from 'solid-js';
import { A, useNavigate, useParams } from '@solidjs/router';
import { useMutation } from '@tanstack/solid-query';
import { t } from '../../i18n';
import { errorKey, queryClient, toUiError, trpc } from '../../trpc';
import { leaveSaved } from '../../ui/leave-guard';
import { NotFoundPage, PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, ErrorState, Loading } from '../../ui/states';
import { basisPointsToInput, isPendingStatus, minorToInput } from './partner-format';
import { PartnerForm, settingsInput, type PartnerFormValues } from './partner-form';
import { PartnersAccess } from './partners-access';
import {
  leaveNotice, parsePartnershipId, PARTNERS_QUERY_KEY, useFormOptions, usePartner, type PartnerDetail,
} from './partners-data';

export function PartnerEditPage() {
  const params = useParams<{ id: string }>();
  const id = () => parsePartnershipId(params.id);
  return (
    <PartnersAccess title={() => t('nav.partners')}>
      {/* keyed: another partner's id gives a fresh form */}
      <Switch fallback={<NotFoundPage />}>
        <Match when={id()} keyed>
          {(partnershipId) => <EditPartner id={partnershipId} />}
        </Match>
      </Switch>
    </PartnersAccess>
  );
}

function toFormValues(p: PartnerDetail): PartnerFormValues {
  const s = p.settings;
  return {
    country: p.company.country, taxNumber: p.company.taxNumber, registrationNumber: p.company.registrationNumber ?? '',
    companyName: p.company.name, address: p.company.address ?? '',
    contactName: s.contactName, contactEmail: s.contactEmail, contactPhone: s.contactPhone,
    locationIds: [...s.locationIds],
    commissionType: s.commissionType,
    percent: s.commissionType === 'percent' ? basisPointsToInput(s.commissionValue) : '',
    amount: s.commissionType === 'fixed' ? minorToInput(s.commissionValue) : '',
    paymentLocation: s.paymentLocation, patientDataAccess: s.patientDataAccess,
  };
}

function EditPartner(props: { id: number }) {
  const navigate = useNavigate();
  const partner = usePartner(() => props.id);
  const options = useFormOptions();
  const title = () => (partner.data ? t('partners.edit.title', { company: partner.data.company.name }) : t('partners.action.edit'));
  usePageTitle(title);

  const update = useMutation(() => ({
    mutationFn: async ({ values, companyEditable }: { values: PartnerFormValues; companyEditable: boolean }) => {
      await trpc.partners.update.mutate({
        partnershipId: props.id,
        ...(companyEditable
          ? { company: { companyName: values.companyName, registrationNumber: values.registrationNumber, address: values.address } }
          : {}),
        ...settingsInput(values),
      });
    },
    onSuccess: async (_result, { values, companyEditable }) => {
      await queryClient.invalidateQueries({ queryKey: PARTNERS_QUERY_KEY });
      const company = companyEditable ? values.companyName.trim() : partner.data?.company.name ?? values.companyName;
      leaveNotice(props.id, 'partners.notice.updated', { company });
      leaveSaved(() => navigate(`/partners/${props.id}`));
    },
  }));

  const editable = (p: PartnerDetail) => p.status === 'active' || isPendingStatus(p.status);

  return (
    <section aria-labelledby="page-title" class="partner-form-page">
      <PageHeader title={title()} />
      <Switch>
        <Match when={partner.isPending || options.isPending}>
          <Loading />
        </Match>
        <Match when={partner.isError && errorKey(partner.error) === 'partners.not_found'}>
          <EmptyState>
            {t('partners.not_found')} <A href="/partners">{t('partners.detail.back')}</A>
          </EmptyState>
        </Match>
        <Match when={(partner.isError && !partner.data) || (options.isError && !options.data)}>
          <ErrorState message={t('partners.form.loadError')}
            detail={toUiError(partner.error ?? options.error).message}
            onRetry={() => { void partner.refetch(); void options.refetch(); }}
            retrying={partner.isFetching || options.isFetching} />
        </Match>
        <Match when={partner.data && !editable(partner.data)}>
          <EmptyState>
            {t('partners.closed')} <A href={`/partners/${props.id}`}>{partner.data?.company.name}</A>
          </EmptyState>
        </Match>
        <Match when={partner.data && options.data ? { p: partner.data, o: options.data } : null}>
          {(data) => {
            // Read once: a background refresh must not reset what the user is typing.
            const p = data().p;
            const companyEditable = p.companyEditable;
            return (
              <PartnerForm mode="edit" options={data().o} initial={toFormValues(p)} companyEditable={companyEditable}
                pending={update.isPending} error={update.error}
                onSubmit={(values) => update.mutate({ values, companyEditable })}
                cancelHref={`/partners/${props.id}`} />
            );
          }}
        </Match>
      </Switch>
    </section>
  );
}
