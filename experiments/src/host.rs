//! The host side a workload may import. There is one import in all of the workloads:
//! `env.clock_ms: [] -> [i64]`, CoreMark's timer; every engine adapter links it, and
//! modules that do not import it simply ignore it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

pub const CLOCK_MS_MODULE: &str = "env";
pub const CLOCK_MS_NAME: &str = "clock_ms";

/// Milliseconds since the host was created: CoreMark only uses differences of two readings.
///
/// A host made by [`Host::stepping`] instead returns a clock that advances by a fixed step
/// at every reading, so that a self-timing program (CoreMark) runs the same number of
/// iterations on every engine: what instruction counts (`weft-experiments count`) need.
#[derive(Clone, Copy, Debug)]
pub struct Host {
    origin: Instant,
    step_ms: i64,
}

/// The stepping clock's reading (shared: one counting run drives one engine at a time).
static STEPPED: AtomicI64 = AtomicI64::new(0);

/// The last two readings handed to a guest (any host, any engine; the suites run one
/// engine at a time), so that a runner can tell why CoreMark returned a score of 0: its
/// timed run is the interval between its last two readings.
static PREVIOUS: AtomicI64 = AtomicI64::new(0);
static LAST: AtomicI64 = AtomicI64::new(0);

impl Default for Host {
    fn default() -> Self {
        Self {
            origin: Instant::now(),
            step_ms: 0,
        }
    }
}

impl Host {
    /// A host whose clock advances by `step_ms` at every reading (0: the real clock).
    pub fn stepping(step_ms: i64) -> Self {
        Self {
            step_ms,
            ..Self::default()
        }
    }

    pub fn clock_ms(&self) -> i64 {
        let now = if self.step_ms != 0 {
            STEPPED.fetch_add(self.step_ms, Ordering::Relaxed)
        } else {
            self.origin.elapsed().as_millis() as i64
        };
        PREVIOUS.store(LAST.swap(now, Ordering::Relaxed), Ordering::Relaxed);
        now
    }

    /// Milliseconds between the last two readings of any host's clock.
    pub fn last_interval_ms() -> i64 {
        LAST.load(Ordering::Relaxed) - PREVIOUS.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::Host;

    #[test]
    fn last_interval_is_between_the_last_two_readings() {
        let host = Host::stepping(7);
        host.clock_ms();
        host.clock_ms();
        assert_eq!(Host::last_interval_ms(), 7);
    }
}
