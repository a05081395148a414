/**
 * Traffic Channels: the matrix of the institution's services × booking channels (Online, Phone, and one column per
 * pending or active partnership). Saving applies every change in one transaction. A partner can book only the
 * services ticked in its column, at its granted locations.
 */
import { z } from 'zod';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { router, institutionAdminProcedure } from '../trpc';
import { AccessDenied } from '../authz';
import { writeAudit } from '../audit';
import { idField } from '../validation';
import { OPEN_STATUSES } from '../domain/partnership-status';
import { activeColumnServices, recordServiceNotices } from '../partners/notices';
import {
  channelServices, organisations, partnerships, physicianLocations, physicianQualifications, physicians, qualifications, services,
} from '../../db/schema';

export const partnershipChannel = (partnershipId: number) => `partnership:${partnershipId}`;
const channelKeyField = z.string({ error: 'traffic.channel_invalid' }).regex(/^(online|phone|partnership:[1-9]\d{0,9})$/, 'traffic.channel_invalid');

export const trafficChannelsRouter = router({
  matrix: institutionAdminProcedure.query(async ({ ctx }) => {
    const org = ctx.user.organisationId;
    const rows = await ctx.db.select({
      id: services.id, name: services.name, qualificationId: services.qualificationId, qualificationName: qualifications.name,
      durationMinutes: services.durationMinutes, priceMinor: services.priceMinor, currency: services.currency,
    }).from(services).innerJoin(qualifications, eq(qualifications.id, services.qualificationId))
      .where(eq(services.organisationId, org)).orderBy(asc(qualifications.name), asc(services.name));
    // A service is offered at the locations where a physician with its qualification works.
    const offered = await ctx.db.selectDistinct({ qualificationId: physicianQualifications.qualificationId, locationId: physicianLocations.locationId })
      .from(physicianQualifications).innerJoin(physicians, eq(physicians.id, physicianQualifications.physicianId))
      .innerJoin(physicianLocations, eq(physicianLocations.physicianId, physicians.id))
      .where(eq(physicians.organisationId, org));
    const partnerColumns = await ctx.db.select({ partnershipId: partnerships.id, companyName: organisations.name, status: partnerships.status })
      .from(partnerships).innerJoin(organisations, eq(organisations.id, partnerships.partnerOrganisationId))
      .where(and(eq(partnerships.institutionId, org), inArray(partnerships.status, [...OPEN_STATUSES])))
      .orderBy(asc(partnerships.invitedAt));
    const ticked = await ctx.db.select({ serviceId: channelServices.serviceId, channelKey: channelServices.channelKey })
      .from(channelServices).where(eq(channelServices.institutionId, org));
    const open = new Set(['online', 'phone', ...partnerColumns.map((p) => partnershipChannel(p.partnershipId))]);
    return {
      services: rows.map((s) => ({ ...s, locationIds: offered.filter((o) => o.qualificationId === s.qualificationId).map((o) => o.locationId) })),
      channels: [
        { key: 'online', kind: 'online' as const },
        { key: 'phone', kind: 'phone' as const },
        ...partnerColumns.map((p) => ({ key: partnershipChannel(p.partnershipId), kind: 'partnership' as const, partnershipId: p.partnershipId, companyName: p.companyName, status: p.status })),
      ],
      enabled: ticked.filter((t) => open.has(t.channelKey)).map((t) => `${t.serviceId}|${t.channelKey}`),
    };
  }),

  /**
   * Applies all changes atomically: any unknown or foreign service or channel refuses the whole save. Each active
   * partner whose services changed is emailed once per save (server/partners/notices.ts).
   */
  save: institutionAdminProcedure.input(z.object({
    changes: z.array(z.object({ serviceId: idField, channelKey: channelKeyField, enabled: z.boolean({ error: 'validation.invalid' }) }))
      .min(1, 'traffic.no_changes').max(20_000, 'validation.too_long'),
  })).mutation(async ({ ctx, input }) => {
    const org = ctx.user.organisationId;
    const serviceIds = [...new Set(input.changes.map((c) => c.serviceId))];
    const partnershipIds = [...new Set(input.changes.filter((c) => c.channelKey.startsWith('partnership:')).map((c) => Number(c.channelKey.slice(12))))];
    const saved = await ctx.db.transaction(async (tx) => {
      const own = await tx.select({ id: services.id }).from(services).where(and(eq(services.organisationId, org), inArray(services.id, serviceIds)));
      if (own.length !== serviceIds.length) throw new AccessDenied('traffic.unknown_service', 'changes');
      if (partnershipIds.length) {
        const columns = await tx.select({ id: partnerships.id }).from(partnerships)
          .where(and(eq(partnerships.institutionId, org), inArray(partnerships.id, partnershipIds), inArray(partnerships.status, [...OPEN_STATUSES])))
          .for('update');
        if (columns.length !== partnershipIds.length) throw new AccessDenied('traffic.unknown_channel', 'changes');
      }
      const servicesBefore = await activeColumnServices(tx, org, partnershipIds);
      // Last change per cell wins; then one insert for all ticks and one delete per channel for all unticks.
      const cells = new Map(input.changes.map((c) => [`${c.serviceId}|${c.channelKey}`, c]));
      const ticks = [...cells.values()].filter((c) => c.enabled);
      const unticks = [...cells.values()].filter((c) => !c.enabled);
      let enabled = 0;
      let disabled = 0;
      if (ticks.length) {
        const [res] = await tx.insert(channelServices).ignore().values(ticks.map((c) => ({
          institutionId: org, serviceId: c.serviceId, channelKey: c.channelKey,
          partnershipId: c.channelKey.startsWith('partnership:') ? Number(c.channelKey.slice(12)) : null,
        })));
        enabled = res.affectedRows;
      }
      for (const channelKey of new Set(unticks.map((c) => c.channelKey))) {
        const ids = unticks.filter((c) => c.channelKey === channelKey).map((c) => c.serviceId);
        const [res] = await tx.delete(channelServices).where(and(eq(channelServices.channelKey, channelKey), inArray(channelServices.serviceId, ids)));
        disabled += res.affectedRows;
      }
      await writeAudit(tx, { organisationId: org, actorUserId: ctx.user.id, action: 'traffic_channels.save', objectType: 'traffic_channels', objectId: null, after: { changes: input.changes }, ip: ctx.ip });
      const notices = await recordServiceNotices(tx, org, ctx.user.id, servicesBefore);
      return { enabled, disabled, notices };
    });
    if (saved.notices > 0) ctx.workflows.dispatchSoon();
    return { enabled: saved.enabled, disabled: saved.disabled };
  }),
});
