import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { commands, type Environment } from "../../bindings";
import { toAppError } from "../../app/ipc";
import { ErrorPanel } from "../errors/ErrorPanel";
import { CreateWorkspace } from "./CreateWorkspace";
import "./create.css";

/** The Create page: starts from the seed's architecture in the selected region. */
export function CreatePage({ environment }: { environment: Environment }) {
  // The seed is made once; switching region later does not wipe the form
  // (the spec's own region field decides, and "New spec" starts again).
  const [seedRegion] = useState(environment.region);
  const seed = useQuery({
    queryKey: ["new-cluster-spec", seedRegion],
    queryFn: () => commands.newClusterSpec(seedRegion),
    staleTime: Infinity,
    gcTime: Infinity,
  });
  if (seed.isPending) {
    return (
      <div className="page" data-testid="create-page">
        <p className="muted">Preparing a new cluster spec…</p>
      </div>
    );
  }
  if (seed.isError) {
    return (
      <div className="page" data-testid="create-page">
        <ErrorPanel error={toAppError(seed.error)} onRetry={() => void seed.refetch()} />
      </div>
    );
  }
  return <CreateWorkspace environment={environment} seed={seed.data} />;
}
