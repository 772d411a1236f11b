// How many micro-VMs start at once. Under TCG a VM's start (restore, CONFIGURE, its first container) is QEMU
// translating the guest's code anew, ~0.3 CPU-seconds; fifty VMs started together share the cores, so every one of
// them is Running only near the end, and each costs a third more CPU (the translators evict each other from the
// caches). The gate lets a few VMs start at a time and the others wait their turn: pods become Running one after
// another, and the last no later. Measured with 20 pods at once on 2 cores: p50 6.7 → 4.2 s, p99 7.3 → 6.9 s, QEMU
// CPU per VM 517 → 461 ms with two VMs per core (one per core left the cores idle while the agent did its part of a
// start: p99 got worse). A slot is held from the VM's restore until its first process runs (or the sandbox fails or
// goes), and at most `holdMs`, so that a pod waiting on something else (an image pull) does not hold back others.

export class StartGate {
  private active = 0;
  private waiting: { admit(): void; reject(error: unknown): void }[] = [];

  constructor(
    readonly width: number,
    private readonly holdMs: number,
  ) {}

  /** Resolves once the VM may start, to the function that frees its slot (idempotent); rejects when `signal` aborts first. */
  async enter(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.width) this.active++;
    else {
      await new Promise<void>((admit, reject) => {
        const waiter = {
          admit: () => {
            signal?.removeEventListener('abort', abort);
            admit();
          },
          reject,
        };
        const abort = () => {
          this.waiting = this.waiting.filter((w) => w !== waiter);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', abort, { once: true });
        this.waiting.push(waiter);
      });
    }
    let held = true;
    const leave = () => {
      if (!held) return;
      held = false;
      clearTimeout(timer);
      const next = this.waiting.shift();
      if (next) next.admit();
      else this.active--;
    };
    const timer = setTimeout(leave, this.holdMs);
    return leave;
  }

  /** VMs starting now and waiting to. */
  get load(): { starting: number; waiting: number } {
    return { starting: this.active, waiting: this.waiting.length };
  }
}
