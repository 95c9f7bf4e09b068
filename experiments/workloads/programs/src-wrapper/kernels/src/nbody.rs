//! The classic five-body (Sun and Jovian planets) simulation with `glam` vectors in f64:
//! `n` steps of 0.01 days, returning the bits of the final energy and positions. Only + - * /
//! and sqrt are used, all exactly rounded in IEEE 754, so native and Wasm results agree bit
//! for bit.

use glam::DVec3;

use crate::checksum::Fnv1a;

const PI: f64 = std::f64::consts::PI;
const SOLAR_MASS: f64 = 4.0 * PI * PI;
const DAYS_PER_YEAR: f64 = 365.24;
const DT: f64 = 0.01;

struct Body {
    pos: DVec3,
    vel: DVec3,
    mass: f64,
}

fn body(pos: [f64; 3], vel: [f64; 3], mass: f64) -> Body {
    Body {
        pos: DVec3::from_array(pos),
        vel: DVec3::from_array(vel) * DAYS_PER_YEAR,
        mass: mass * SOLAR_MASS,
    }
}

fn solar_system() -> Vec<Body> {
    let mut bodies = vec![
        body([0.0; 3], [0.0; 3], 1.0),
        body(
            [
                4.841_431_442_464_72,
                -1.160_320_044_027_428_4,
                -0.103_622_044_471_123_11,
            ],
            [
                0.001_660_076_642_744_037,
                0.007_699_011_184_197_404,
                -0.000_069_046_000_951_326_2,
            ],
            0.000_954_791_938_424_326_6,
        ),
        body(
            [
                8.343_366_718_244_58,
                4.124_798_564_124_305,
                -0.403_523_417_114_321_4,
            ],
            [
                -0.002_767_425_107_268_624,
                0.004_998_528_012_349_172,
                0.000_023_041_729_757_376_393,
            ],
            0.000_285_885_980_666_130_8,
        ),
        body(
            [
                12.894_369_562_139_131,
                -15.111_151_401_698_631,
                -0.223_307_578_892_655_73,
            ],
            [
                0.002_964_601_375_647_616,
                0.002_378_471_739_594_809_5,
                -0.000_029_658_956_854_023_756,
            ],
            0.000_043_662_440_433_515_64,
        ),
        body(
            [
                15.379_697_114_850_917,
                -25.919_314_609_987_964,
                0.179_258_772_950_371_18,
            ],
            [
                0.002_680_677_724_903_893_2,
                0.001_628_241_700_382_423,
                -0.000_095_159_225_451_971_59,
            ],
            0.000_051_513_890_204_661_46,
        ),
    ];
    let momentum: DVec3 = bodies.iter().map(|b| b.vel * b.mass).sum();
    bodies[0].vel = -momentum / SOLAR_MASS;
    bodies
}

fn advance(bodies: &mut [Body]) {
    for i in 0..bodies.len() {
        let (head, tail) = bodies.split_at_mut(i + 1);
        let a = &mut head[i];
        for b in tail {
            let d = a.pos - b.pos;
            let dist2 = d.length_squared();
            let mag = DT / (dist2 * dist2.sqrt());
            a.vel -= d * (b.mass * mag);
            b.vel += d * (a.mass * mag);
        }
    }
    for b in bodies.iter_mut() {
        b.pos += b.vel * DT;
    }
}

fn energy(bodies: &[Body]) -> f64 {
    let mut e = 0.0;
    for (i, a) in bodies.iter().enumerate() {
        e += 0.5 * a.mass * a.vel.length_squared();
        for b in &bodies[i + 1..] {
            e -= a.mass * b.mass / a.pos.distance(b.pos);
        }
    }
    e
}

pub fn run(n: i32) -> i64 {
    let mut bodies = solar_system();
    let start = energy(&bodies);
    for _ in 0..n.max(0) {
        advance(&mut bodies);
    }
    let end = energy(&bodies);
    assert!(
        (end - start).abs() < 1e-3,
        "energy drifted: the simulation is wrong"
    );
    let mut sum = Fnv1a::default().u64(start.to_bits()).u64(end.to_bits());
    for b in &bodies {
        for x in b.pos.to_array() {
            sum = sum.u64(x.to_bits());
        }
    }
    sum.finish()
}
