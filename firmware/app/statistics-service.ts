/**
 * Statistics as charts (录音统计): incoming, outgoing and missed calls and the
 * recorded length for each day or month of a range, for the whole box or one
 * port type, from the index's statistics (one read per day or month). A view
 * operation; a seat's series count only the channels its sync right reaches.
 */
import type { PortType } from '../calls/call-types.ts';
import { RecorderError } from '../errors.ts';
import { dayLabel, monthFirstDay } from '../recording/local-day.ts';
import type { RecordIndex } from '../recording/record-index.ts';
import { statsSeries, statsSeriesOf, type SeriesPoint } from '../recording/stats-series.ts';
import { OPEN_ACCESS, type SeatAccess } from './seat-access.ts';
import type { Principal } from './principal.ts';

export const MAX_SERIES_DAYS = 366;
export const MAX_SERIES_MONTHS = 120;

export interface SeriesCounts {
  incoming: number;
  outgoing: number;
  missed: number;
  recordedSeconds: number;
}

export type DailyPoint = { day: string } & SeriesCounts;
export type MonthlyPoint = { month: string } & SeriesCounts;

const counts = (p: SeriesPoint): SeriesCounts => ({ incoming: p.incoming, outgoing: p.outgoing, missed: p.missed, recordedSeconds: Math.round(p.recordedMs / 1000) });

export class StatisticsService {
  constructor(
    private readonly index: RecordIndex,
    private readonly access: SeatAccess = OPEN_ACCESS,
  ) {}

  /** Days fromDay..toDay (day numbers, local-day.ts), every day present; a seat's count the channels its sync right reaches. */
  async daily(principal: Principal, fromDay: number, toDay: number, portType?: PortType): Promise<DailyPoint[]> {
    checkSpan(fromDay, toDay, MAX_SERIES_DAYS, 'days');
    return (await this.series(principal, 'day', fromDay, toDay, portType)).map((p) => ({ day: dayLabel(p.period), ...counts(p) }));
  }

  /** Months fromMonth..toMonth (months since January 1970), every month present. */
  async monthly(principal: Principal, fromMonth: number, toMonth: number, portType?: PortType): Promise<MonthlyPoint[]> {
    checkSpan(fromMonth, toMonth, MAX_SERIES_MONTHS, 'months');
    return (await this.series(principal, 'month', fromMonth, toMonth, portType)).map((p) => ({ month: dayLabel(monthFirstDay(p.period)).slice(0, 7), ...counts(p) }));
  }

  private series(principal: Principal, unit: 'day' | 'month', from: number, to: number, portType?: PortType): Promise<SeriesPoint[]> {
    const scope = this.access.scope(principal, 'sync');
    return scope.all ? statsSeries(this.index, unit, from, to, portType) : statsSeriesOf(this.index, unit, from, to, scope.keys, portType);
  }
}

function checkSpan(from: number, to: number, max: number, unit: string): void {
  if (from > to) throw new RecorderError('BAD_REQUEST', 'from is after to');
  if (to - from + 1 > max) throw new RecorderError('BAD_REQUEST', `${to - from + 1} ${unit} asked for; at most ${max} in one chart`);
}
