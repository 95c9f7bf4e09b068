//! The engine: a configuration shared by modules and stores.

use crate::config::Config;
use std::sync::Arc;

/// Compiles modules and creates stores with one [`Config`]. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    config: Arc<Config>,
}

impl Engine {
    /// An engine with `config`.
    pub fn new(config: &Config) -> Self {
        Engine {
            config: Arc::new(config.clone()),
        }
    }

    /// Its configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
}
