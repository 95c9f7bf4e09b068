//! The engine: a configuration shared by modules and stores.

use crate::config::Config;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Compiles modules and creates stores with one [`Config`]. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    config: Arc<Config>,
    epoch: Arc<AtomicU64>,
}

impl Engine {
    /// An engine with `config`.
    pub fn new(config: &Config) -> Self {
        Engine {
            config: Arc::new(config.clone()),
            epoch: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Its configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Advances the epoch: stores whose deadline it reaches stop running Wasm (with
    /// `Config::epoch_interruption`). Safe to call from any thread.
    pub fn increment_epoch(&self) {
        self.epoch.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn epoch(&self) -> &Arc<AtomicU64> {
        &self.epoch
    }

    /// Whether `other` is this engine (or a clone of it).
    pub fn same(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.config, &other.config)
    }

    /// A tag equal for clones of this engine and different from every other engine alive.
    pub(crate) fn tag(&self) -> usize {
        Arc::as_ptr(&self.config) as usize
    }
}
