/** Kubernetes versions, newest first ("1.34" before "1.4"). */
export function newestFirst(versions: readonly string[]): string[] {
  const parts = (v: string) => v.split(".").map((p) => Number.parseInt(p, 10) || 0);
  return [...versions].sort((a, b) => {
    const [pa, pb] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = (pb[i] ?? 0) - (pa[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
}
