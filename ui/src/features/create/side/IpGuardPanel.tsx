import type { SubnetUsage } from "../../../bindings";
import { barSegments, headroomShort, ROLE_LABEL } from "./ipGuardBar";

function UsageRow({ usage, onShow }: { usage: SubnetUsage; onShow: (field: string) => void }) {
  const bar = barSegments(usage);
  const short = headroomShort(usage);
  const title =
    `${usage.controlPlaneEnisDuringUpgrade} control-plane ENIs during an upgrade, ` +
    `${usage.nodeIpsAtMaxScale} node IPs at max scale, ${usage.headroom} free of ${usage.usableIps} usable`;
  return (
    <li className="ip-row" data-testid={`ip-guard-${usage.field}`} data-role={usage.role}>
      <div className="ip-row-head">
        <button type="button" className="link-button mono" onClick={() => onShow(usage.field)} title={`Go to ${usage.field}`}>
          {usage.cidr}
        </button>
        <span className={`badge ip-role-${usage.role}`}>{ROLE_LABEL[usage.role]}</span>
        <span className="muted">{usage.availabilityZone}</span>
      </div>
      <div className="ip-bar" role="img" aria-label={title} title={title}>
        <span className="ip-seg ip-seg-cp" style={{ width: `${bar.controlPlane}%` }} />
        <span className="ip-seg ip-seg-nodes" style={{ width: `${bar.nodes}%` }} />
        <span className="ip-seg ip-seg-free" style={{ width: `${bar.headroom}%` }} />
        {bar.limit < 100 && <span className="ip-short" style={{ left: `${bar.limit}%` }} />}
      </div>
      <div className="ip-numbers">
        <span>{usage.usableIps} usable</span>
        <span>{usage.controlPlaneEnisDuringUpgrade} upgrade ENIs</span>
        <span>{usage.nodeIpsAtMaxScale} node IPs</span>
        <span className={short ? "headroom headroom-short" : "headroom"} data-testid="headroom">
          headroom {usage.headroom}
        </span>
      </div>
    </li>
  );
}

/** Per subnet: who takes its IPs at worst (an upgrade at max scale), and what is left. */
export function IpGuardPanel({ usages, onShow }: { usages: SubnetUsage[]; onShow: (field: string) => void }) {
  return (
    <section className="panel side-panel" data-testid="ip-guard">
      <header className="panel-header">
        <h2>IP guard</h2>
      </header>
      <p className="muted section-note">
        During a Kubernetes upgrade EKS adds control-plane ENIs in the cluster subnets; if nodes and pods have used every
        IP there, the upgrade cannot proceed — dedicated /28 subnets keep those IPs free.
      </p>
      <div className="ip-legend muted">
        <span><i className="ip-swatch ip-seg-cp" /> control-plane ENIs (upgrade)</span>
        <span><i className="ip-swatch ip-seg-nodes" /> node IPs at max scale</span>
        <span><i className="ip-swatch ip-seg-free" /> headroom</span>
      </div>
      {usages.length === 0 ? (
        <p className="muted">No subnet to assess yet.</p>
      ) : (
        <ul className="ip-rows">
          {usages.map((u) => (
            <UsageRow key={u.field} usage={u} onShow={onShow} />
          ))}
        </ul>
      )}
    </section>
  );
}
