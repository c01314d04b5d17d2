// Runs once when a server process starts, before it serves anyone.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { refuseToStartWithoutSessionSecret } = await import("./lib/startup-checks");
  refuseToStartWithoutSessionSecret();
}
