import type { CostLine_Serialize } from "../../../bindings";

// Money as text. Rust computes every number; these only print them. A
// number the backend could not represent arrives as null (JSON has no NaN).

/** "$242.14". */
export function usd(amount: number | null): string {
  return amount === null ? "$—" : `$${amount.toFixed(2)}`;
}

/** "1 × instance at $0.1652/hour", as eks-desk plan prints it. */
export function lineDetail(line: CostLine_Serialize): string {
  const price = line.unitPriceUsd === null ? "$—" : `$${line.unitPriceUsd.toFixed(4)}`;
  return `${line.quantity} × ${line.unit} at ${price}/${line.per}`;
}
