import { CatalogError } from '../errors.ts';
import { Policies, type HttpApp, type ModuleContext } from '@tongban/kernel';
import Type from 'typebox';
import { validateOverrides, WorkingCalendar } from '../domain/working-days.ts';
import { getCalendar, putCalendar } from '../store/calendar-store.ts';
import { CalendarBody, CalendarView, DeadlineQuery, RegionCodeParam } from './schemas.ts';
import { typed } from '../store/tables.ts';

const tags = ['catalog: working-day calendars'];

/** Working-day calendars (工作日历) per region, and the deadline arithmetic other modules ask for. */
export function calendarRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.get(
    '/calendars/:code',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: "A region's public holidays and make-up working days",
        params: RegionCodeParam,
        response: { 200: CalendarView },
      },
    },
    async (req) => getCalendar(typed(ctx.db), req.params.code),
  );

  app.put(
    '/calendars/:code',
    {
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: "Replace a region's calendar (from the State Council's annual notice)",
        params: RegionCodeParam,
        body: CalendarBody,
        response: { 200: CalendarView },
      },
    },
    async (req) => {
      const calendar = { regionCode: req.params.code, ...req.body };
      const problems = validateOverrides(calendar);
      if (problems.length > 0) {
        throw new CatalogError(
          'CATALOG_INVALID_CALENDAR',
          {},
          problems.map((message) => ({ field: 'body', code: 'invalid_calendar', message })),
        );
      }
      await putCalendar(typed(ctx.db), calendar);
      return getCalendar(typed(ctx.db), calendar.regionCode);
    },
  );

  app.get(
    '/calendars/:code/deadline',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'The date N working days after a date (the acceptance day not counted)',
        params: RegionCodeParam,
        querystring: DeadlineQuery,
        response: { 200: Type.Object({ from: Type.String(), days: Type.Integer(), due: Type.String() }) },
      },
    },
    async (req) => {
      const calendar = new WorkingCalendar(await getCalendar(typed(ctx.db), req.params.code));
      try {
        return {
          from: req.query.from,
          days: req.query.days,
          due: calendar.addWorkingDays(req.query.from, req.query.days),
        };
      } catch (error) {
        if (error instanceof RangeError) {
          throw new CatalogError('VALIDATION_FAILED', {}, [
            { field: 'query.from', code: 'invalid_date', message: error.message },
          ]);
        }
        throw error;
      }
    },
  );
}
