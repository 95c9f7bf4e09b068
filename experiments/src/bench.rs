//! What the `micro` (criterion) and `instructions` (gungraun) benches share: a micro
//! workload compiled and instantiated on one weft configuration, ready to be called
//! without any conversion or lookup in the measured part.

use anyhow::{anyhow, bail, Result};

use crate::host::Host;
use crate::manifest::{self, Size, Workload};
use crate::weft_adapter::{from_weft, to_weft, Weft, WeftInstance, WeftModule};

pub struct Prepared {
    pub config: String,
    pub workload: Workload,
    pub size: Size,
    // Declared before `module` so the instance is dropped first.
    pub instance: WeftInstance,
    pub module: WeftModule,
    pub func: weft::Func,
    pub args: Vec<weft::Val>,
    pub results: Vec<weft::Val>,
}

impl Prepared {
    /// `config` is a configuration name (`threaded/register+fuse`), `workload` a micro
    /// workload's name (`fib_rec`).
    pub fn micro(config: &str, workload: &str, size: Size) -> Result<Prepared> {
        let workload = micro_workloads()?
            .into_iter()
            .find(|w| w.name == workload)
            .ok_or_else(|| anyhow!("no micro workload `{workload}`"))?;
        Self::new(config, workload, size)
    }

    pub fn new(config: &str, workload: Workload, size: Size) -> Result<Prepared> {
        let weft = Weft::by_config_name(config)
            .ok_or_else(|| anyhow!("no weft configuration `{config}` in this build"))?;
        let module = weft.compile(&workload.wasm()?)?;
        let instance = module.instantiate_weft(Host::default())?;
        let func = instance.func(&workload.export)?;
        let args = workload
            .case(size)
            .args
            .iter()
            .map(|&v| to_weft(v))
            .collect();
        let results = func
            .ty(&instance.store)?
            .results
            .iter()
            .map(|&t| weft::Val::default_for(t))
            .collect();
        Ok(Prepared {
            config: config.to_owned(),
            workload,
            size,
            instance,
            module,
            func,
            args,
            results,
        })
    }

    /// One call: what the benches measure.
    #[inline]
    pub fn call(&mut self) {
        self.instance
            .call_func(
                self.func,
                std::hint::black_box(&self.args),
                &mut self.results,
            )
            .expect("the workload traps");
    }

    /// Compare the last call's results with the manifest.
    pub fn check(&self) -> Result<()> {
        let got = self
            .results
            .iter()
            .map(|r| from_weft(&self.config, r))
            .collect::<Result<Vec<_>>>()?;
        if got != self.workload.case(self.size).results {
            bail!(
                "{} on weft:{}: wrong result {got:?}",
                self.workload.id(),
                self.config
            );
        }
        Ok(())
    }
}

pub fn micro_workloads() -> Result<Vec<Workload>> {
    manifest::load(&manifest::workloads_dir().join("micro/manifest.toml"))
}

/// Every compiled-in configuration's name, in `Weft::all()` order (executors in
/// `Executor::compiled()` order, each with every IR in `IrKind::ALL` order).
pub fn config_names() -> Vec<String> {
    Weft::all().iter().map(|w| w.config.name()).collect()
}
