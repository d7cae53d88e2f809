/** The wall's clock (browser time); empty until hydrated so server and client markup agree. */
export function WallClock({ now }: { now: number | null }) {
  const text =
    now === null
      ? ""
      : new Date(now).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return (
    <time className="text-4xl font-semibold tabular-nums" data-testid="wall-clock">
      {text}
    </time>
  );
}
