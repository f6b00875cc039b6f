// Working-day arithmetic lives in the kernel since the workflow counts deadlines too.
export { validateOverrides, WorkingCalendar } from '@tongban/kernel';
