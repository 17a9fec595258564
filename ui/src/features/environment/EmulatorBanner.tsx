type Props = { endpoint: string; hasCredentials: boolean };

/** Always visible on the local emulator: nothing here touches real AWS. */
export function EmulatorBanner({ endpoint, hasCredentials }: Props) {
  return (
    <div className="emulator-banner" role="status" data-testid="emulator-banner">
      <strong>Local emulator</strong> at <code>{endpoint}</code> — nothing here touches real AWS.
      {!hasCredentials && (
        <span>
          {" "}
          No AWS credentials were found on this machine; add a profile to <code>~/.aws/config</code> to
          work with a real account.
        </span>
      )}
    </div>
  );
}
