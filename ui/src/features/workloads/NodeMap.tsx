import { useCallback, useMemo, useState, type Ref } from "react";
import { commands, type LiveState } from "../../bindings";
import { escClears } from "./escClears";
import { NodeCardView } from "./NodeCardView";
import { NodeDetail } from "./NodeDetail";
import { groupCards, matchesNode } from "./nodeFormat";
import { useLiveQuery } from "./useLiveQuery";
import { visible } from "./visibleText";

type Props = {
  connection: string;
  started: boolean;
  state: LiveState | null;
  search: string;
  onSearch: (search: string) => void;
  /** The search box, which `/` focuses. */
  searchRef: Ref<HTMLInputElement>;
};

function nodes(n: number): string {
  return n === 1 ? "1 node" : `${n} nodes`;
}

/** Every node as a card, by node group and zone, with what its pods use of it. */
export function NodeMap({ connection, started, state, search, onSearch, searchRef }: Props) {
  const command = useCallback(() => commands.nodeCards(connection), [connection]);
  const { data: cards, error } = useLiveQuery(started, state, command);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const close = useCallback(() => setSelected(null), []);

  const shown = useMemo(() => (cards ?? []).filter((card) => matchesNode(card, search)), [cards, search]);
  const groups = useMemo(() => groupCards(shown), [shown]);
  const selectedCard = selected ? cards?.find((c) => c.node.name === selected) : undefined;
  const forbidden = state?.nodes.connection.state === "forbidden" ? state.nodes.connection.message : null;

  const toggle = (group: string) =>
    setCollapsed((was) => {
      const next = new Set(was);
      if (!next.delete(group)) next.add(group);
      return next;
    });

  return (
    <div className="node-map-view">
      <div className="node-map" data-testid="node-map">
        <div className="node-map-toolbar">
          <label className="field node-search">
            <span className="field-label">Search nodes</span>
            <input
              type="text"
              ref={searchRef}
              data-testid="nodes-search"
              placeholder="name, instance type, zone  ( / )"
              value={search}
              spellCheck={false}
              onChange={(e) => onSearch(e.target.value)}
              onKeyDown={escClears(search, () => onSearch(""))}
            />
          </label>
          {cards && (
            <span className="muted" data-testid="nodes-count">
              {shown.length} of {nodes(cards.length)}
            </span>
          )}
        </div>
        {error && (
          <p className="field-issue field-issue-error" role="alert">
            {error.message}
          </p>
        )}
        {forbidden && (
          <p className="muted" data-testid="nodes-forbidden">
            Kubernetes does not let you list nodes: {visible(forbidden)}
          </p>
        )}
        {!cards && !error && <p className="muted">Loading nodes…</p>}
        {cards && shown.length === 0 && !forbidden && (
          <p className="muted" data-testid="nodes-empty">
            {cards.length === 0 ? "No nodes." : "No node matches the search."}
          </p>
        )}
        {groups.map(({ group, count, zones }) => {
          const open = !collapsed.has(group);
          return (
            <section key={group} className="node-group" data-testid="node-group" data-group={group}>
              <button
                type="button"
                className="node-group-head"
                aria-expanded={open}
                data-testid="node-group-toggle"
                onClick={() => toggle(group)}
              >
                <span aria-hidden="true">{open ? "▾" : "▸"}</span>
                <strong>{visible(group)}</strong>
                <span className="muted" data-testid="node-group-count">
                  {nodes(count)} in {zones.length === 1 ? "1 zone" : `${zones.length} zones`}
                </span>
              </button>
              {open &&
                zones.map(({ zone, cards: zoneCards }) => (
                  <div key={zone} className="node-zone" data-testid="node-zone" data-zone={zone}>
                    <h4>
                      {visible(zone)} <span className="muted">{nodes(zoneCards.length)}</span>
                    </h4>
                    <div className="node-cards">
                      {zoneCards.map((card) => (
                        <NodeCardView
                          key={card.node.name}
                          card={card}
                          selected={card.node.name === selected}
                          onSelect={(name) => setSelected((was) => (was === name ? null : name))}
                        />
                      ))}
                    </div>
                  </div>
                ))}
            </section>
          );
        })}
      </div>
      {selectedCard && <NodeDetail card={selectedCard} onClose={close} />}
    </div>
  );
}
