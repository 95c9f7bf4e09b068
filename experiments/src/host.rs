//! The host side a workload may import. There is one import in all of the workloads:
//! `env.clock_ms: [] -> [i64]`, CoreMark's timer; every engine adapter links it, and
//! modules that do not import it simply ignore it.

use std::time::Instant;

pub const CLOCK_MS_MODULE: &str = "env";
pub const CLOCK_MS_NAME: &str = "clock_ms";

/// Milliseconds since the host was created: CoreMark only uses differences of two readings.
#[derive(Clone, Copy, Debug)]
pub struct Host {
    origin: Instant,
}

impl Default for Host {
    fn default() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Host {
    pub fn clock_ms(&self) -> i64 {
        self.origin.elapsed().as_millis() as i64
    }
}
