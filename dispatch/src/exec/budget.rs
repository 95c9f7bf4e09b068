//! Fuel and epoch interruption: how a running guest is metered and stopped.
//!
//! **Granularity.** One unit is charged per *call* (the entry call from the host, every
//! Wasm call and every host call made by Wasm) and per *taken backward branch* (one loop
//! iteration). Every other op is free: between two charges a guest runs at most one
//! function body's straight-line code, so a budget always bounds running time. The
//! charge points are the same Wasm events on every executor and IR, so a program consumes
//! the same fuel on every configuration (`tests/api_limits.rs` checks it).
//!
//! **One counter for both.** The hot path is a single decrement and sign test of
//! [`Ctx::budget`](super::Ctx), whether fuel, interruption, both or neither are on. The
//! counter holds a *grant* of units taken from the store; when it runs out, [`refill`]
//! (cold) checks the epoch deadline and the store's fuel and grants up to
//! [`CHECK_INTERVAL`] more. Without fuel the grant is always `CHECK_INTERVAL`, so an
//! epoch deadline is noticed within that many units. Unused units go back to the store
//! whenever the host can look (around host calls and when the call ends), so
//! `Store::get_fuel` is exact between calls and inside host functions.

use super::{Ctx, Pending, Step, Stop};
use crate::code::Ip;
use crate::trap::TrapCode;

/// Most units granted at once: how often the slow path looks at the epoch.
pub const CHECK_INTERVAL: u64 = 1 << 14;

/// Whether this build meters at all (the `unmetered` feature removes every charge).
pub const METERED: bool = cfg!(not(feature = "unmetered"));

/// Charges one unit.
#[inline(always)]
pub fn charge(c: &mut Ctx) -> Step {
    if !METERED {
        return Ok(());
    }
    c.budget -= 1;
    if c.budget < 0 {
        return refill(c);
    }
    Ok(())
}

/// Continues at `target`, charging one unit if that is a backward jump (a loop
/// iteration). `ip` is where execution would otherwise continue (the next op).
///
/// When the grant is used up the jump is still made and the unit owed: the op returns
/// [`Stop::Slow`] with [`Pending::Refill`], and the executor refills (or stops) out of
/// line before running the target, so that no branch handler contains a call.
#[inline(always)]
pub fn jump(ip: &mut Ip, c: &mut Ctx, target: Ip) -> Step {
    let back = METERED && target < *ip;
    *ip = target;
    if back {
        owe(c)?;
    }
    Ok(())
}

/// Continues at `target` and charges one unit whichever way it goes, with the protocol
/// of [`jump`] (a jump made, the unit owed, when the grant is used up). For a branch
/// that stands for a taken backward branch elided by the translator (the exit of a
/// rotated loop), so that fuel stays the same Wasm events on every configuration.
#[inline(always)]
pub fn jump_charged(ip: &mut Ip, c: &mut Ctx, target: Ip) -> Step {
    *ip = target;
    if METERED {
        owe(c)?;
    }
    Ok(())
}

/// Charges one unit for a jump already made; when the grant is used up, the unit is owed
/// and the executor refills out of line ([`Pending::Refill`]) before the target runs.
#[inline(always)]
fn owe(c: &mut Ctx) -> Step {
    c.budget -= 1;
    if c.budget < 0 {
        c.pending = Pending::Refill;
        return Err(Stop::Slow);
    }
    Ok(())
}

/// The grant is used up (`budget` is -1: the unit being charged is unpaid): stop if the
/// epoch deadline passed or fuel ran out, else grant more and pay for that unit.
#[cold]
#[inline(never)]
pub fn refill(c: &mut Ctx) -> Step {
    // SAFETY: called from an op or the call entry, when no other reference into the
    // store is live.
    let store = unsafe { c.store() };
    if store.epoch_deadline_reached() {
        c.budget = 0;
        return Err(Stop::Trap(TrapCode::Interrupt));
    }
    let grant = if store.consume_fuel {
        if store.fuel == 0 {
            c.budget = 0;
            return Err(Stop::Trap(TrapCode::OutOfFuel));
        }
        let g = store.fuel.min(CHECK_INTERVAL);
        store.fuel -= g;
        g
    } else {
        CHECK_INTERVAL
    };
    c.budget = grant as i64 - 1;
    Ok(())
}

/// Gives the unused part of the grant back to the store, so that the host sees exact
/// fuel; the next charge refills.
#[inline]
pub fn settle(c: &mut Ctx) {
    let unused = c.budget.max(0) as u64;
    c.budget = 0;
    // SAFETY: as in `refill`.
    let store = unsafe { c.store() };
    if store.consume_fuel {
        store.fuel += unused;
    }
}
