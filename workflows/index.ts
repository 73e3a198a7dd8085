// The workflow bundle's entry: every workflow type the worker registers.
export { journey } from './journey';
export { churnScan } from './churn-scan';
