// What every screen of an opened cluster shares, from the cluster's layout
// route: the connection, its live state (one watch for all the tabs, so a
// switch of tabs keeps it going) and the search box that `/` focuses (the
// screen shown owns it).
import { createContext, useContext, type RefObject } from "react";
import type { Live } from "./useLiveState";

export type ClusterTab = "overview" | "nodes" | "pods";

export type ClusterScreen = {
  connection: string;
  live: Live;
  searchRef: RefObject<HTMLInputElement | null>;
};

export const ClusterScreenContext = createContext<ClusterScreen | null>(null);

export function useClusterScreen(): ClusterScreen {
  const screen = useContext(ClusterScreenContext);
  if (!screen) throw new Error("a cluster screen outside its cluster");
  return screen;
}
