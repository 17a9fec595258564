import { useQuery } from "@tanstack/react-query";
import { createHashHistory, RouterProvider, type RouterHistory } from "@tanstack/react-router";
import { useState } from "react";
import { commands } from "../bindings";
import { toAppError, unwrap } from "./ipc";
import { createAppRouter } from "./routes";
import { ChoicesContext } from "./shellContext";
import { ErrorPanel } from "../features/errors/ErrorPanel";

type Props = {
  /** Where the URLs live: the window's hash unless a test gives its memory history. */
  history?: RouterHistory;
};

/**
 * The app: what Rust says about the environments first (every page needs
 * one), then the routes of src/app/routes.tsx over the window's history.
 */
export function App({ history }: Props) {
  const choices = useQuery({
    queryKey: ["environment-choices"],
    queryFn: () => unwrap(commands.environmentChoices()),
    staleTime: Infinity,
  });
  const [router] = useState(() => createAppRouter(history ?? createHashHistory()));
  if (choices.isPending) return <div className="boot muted">Starting EKS Desk…</div>;
  if (choices.isError) return <ErrorPanel error={toAppError(choices.error)} onRetry={() => void choices.refetch()} />;
  return (
    <ChoicesContext.Provider value={choices.data}>
      <RouterProvider router={router} />
    </ChoicesContext.Provider>
  );
}
